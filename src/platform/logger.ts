import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger };

/** JSON lines on stdout; secrets never reach a log line, whatever a caller passes in. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "joxicrochet-api" },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          "password",
          "*.password",
          "token",
          "*.token",
          "headers.authorization",
          "headers.cookie",
          "secret",
        ],
        censor: "[redacted]",
      },
    },
    destination,
  );
}

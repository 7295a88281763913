import pino, { type DestinationStream, type Logger } from "pino";
import { scrubForLog, scrubLogArguments } from "./log-scrubber";

export type { Logger };

/**
 * JSON lines on stdout by default; secrets never reach a log line, whatever a caller passes in: the
 * arguments of every log call, and the bindings of every child logger, are scrubbed first.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const logger = pino(
    {
      level,
      base: { service: "joxicrochet-api" },
      timestamp: pino.stdTimeFunctions.isoTime,
      hooks: {
        logMethod(args, method) {
          method.apply(this, scrubLogArguments(args) as Parameters<typeof method>);
        },
      },
      // The scrubber has serialized errors already; pino's serializer would take them for errors again.
      serializers: { err: (value: unknown) => value },
    },
    destination,
  );
  // pino writes a child's bindings without the hook above; children of children inherit this.
  const child = logger.child;
  logger.child = function scrubbedChild(this: Logger, bindings, options) {
    return child.call(this, scrubForLog(bindings) as typeof bindings, options);
  } as typeof child;
  return logger;
}

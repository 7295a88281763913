import pino, { type DestinationStream, type Logger } from "pino";
import { scrubForLog, scrubLogArguments } from "./log-scrubber";

export type { Logger };

/** Standard output written off the request path; see {@link asyncStdout}. */
export type AsyncStdout = ReturnType<typeof pino.destination>;

/**
 * Standard output written off the request path: a write never blocks the event loop, and the
 * lines logged while one write is under way go out together in the next. Whoever ends the
 * process on purpose awaits `closeLogs` first; on an exit pino did not see coming, it still
 * writes what is buffered synchronously, but a write already under way may be cut short.
 */
export function asyncStdout(): AsyncStdout {
  return pino.destination({ dest: 1, sync: false });
}

/**
 * Resolves once every line logged so far is written; nothing may be logged after it. (The
 * stream's `flush` would not wait for a write already under way: only its end does.)
 */
export function closeLogs(stdout: AsyncStdout): Promise<void> {
  return new Promise((closed) => {
    stdout.once("close", () => closed());
    stdout.end();
  });
}

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

import { Writable } from "node:stream";
import { createLogger, type Logger } from "../../../src/platform/logger";

/** A debug-level logger whose JSON lines are kept in memory for assertions. */
export function captureLogs(): { logger: Logger; lines: string[]; text: () => string } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return { logger: createLogger("trace", destination), lines, text: () => lines.join("\n") };
}

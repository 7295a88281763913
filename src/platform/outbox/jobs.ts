/** Work to do later for an outbox row of one kind; it receives the row's payload. */
export type OutboxJob = (payload: unknown) => Promise<void>;

/**
 * The outbox kinds other than mail, and what runs them. The platform knows no domain: the
 * wiring registers each kind, before the worker can claim a row of it (all during start-up).
 */
export interface OutboxJobs {
  register(kind: string, run: OutboxJob): void;
  runnerOf(kind: string): OutboxJob | undefined;
}

export const MAIL_KIND = "email";

export function outboxJobs(): OutboxJobs {
  const runners = new Map<string, OutboxJob>();
  return {
    register(kind, run) {
      if (kind === MAIL_KIND) throw new TypeError(`outbox kind "${kind}" is the mail's own`);
      if (runners.has(kind)) throw new TypeError(`outbox kind "${kind}" is registered twice`);
      runners.set(kind, run);
    },
    runnerOf: (kind) => runners.get(kind),
  };
}

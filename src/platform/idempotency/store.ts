import { and, eq, lt, sql } from "drizzle-orm";
import { idempotencyKeys } from "../../../db/schema/index.ts";
import type { Db } from "../db.ts";

/** How long a key is remembered. */
export const IDEMPOTENCY_KEY_HOURS = 24;
/** How long a first request may run before a retry may take its key over (its process died). */
const LEASE_SECONDS = 60;

export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface KeyRequest {
  scope: string;
  key: string;
  operationId: string;
  fingerprint: string;
}

export type Claim =
  /** The key is this request's: run the operation, then `keep` or `release`. */
  | { kind: "claimed" }
  /** The key's first request finished: answer with what it answered. */
  | { kind: "replay"; answer: StoredAnswer }
  /** The key was used for a different request. */
  | { kind: "mismatch" }
  /** The key's first request is still running. */
  | { kind: "in_progress" };

export interface IdempotencyStore {
  claim(request: KeyRequest): Promise<Claim>;
  keep(request: KeyRequest, answer: StoredAnswer): Promise<void>;
  release(request: KeyRequest): Promise<void>;
  /** Forgets keys past their 24 hours; how many. */
  sweep(): Promise<number>;
}

/** Keys in PostgreSQL, so that every instance sees every key and a restart forgets none. */
export function idempotencyStore(db: Db): IdempotencyStore {
  const expired = sql`${idempotencyKeys.createdAt} < now() - make_interval(hours => ${IDEMPOTENCY_KEY_HOURS})`;
  const leaseEnded = sql`${idempotencyKeys.status} = 'running' and ${idempotencyKeys.leaseExpiresAt} < now()`;
  const keyOf = (request: KeyRequest) =>
    and(eq(idempotencyKeys.scope, request.scope), eq(idempotencyKeys.key, request.key));
  return {
    async claim(request) {
      const lease = sql`now() + make_interval(secs => ${LEASE_SECONDS})`;
      // One statement decides who owns the key, so two concurrent first requests cannot both win.
      const taken = await db
        .insert(idempotencyKeys)
        .values({ ...request, leaseExpiresAt: lease })
        .onConflictDoUpdate({
          target: [idempotencyKeys.scope, idempotencyKeys.key],
          set: {
            operationId: request.operationId,
            fingerprint: request.fingerprint,
            status: "running",
            responseStatus: null,
            responseHeaders: null,
            responseBody: null,
            createdAt: sql`now()`,
            leaseExpiresAt: lease,
          },
          setWhere: sql`${expired} or (${leaseEnded} and ${idempotencyKeys.fingerprint} = ${request.fingerprint})`,
        })
        .returning({ scope: idempotencyKeys.scope });
      if (taken.length > 0) return { kind: "claimed" };
      const [held] = await db.select().from(idempotencyKeys).where(keyOf(request));
      // Swept between the two statements: nobody holds it now, so this request may try again.
      if (!held) return this.claim(request);
      if (held.fingerprint !== request.fingerprint) return { kind: "mismatch" };
      if (held.status === "running") return { kind: "in_progress" };
      return {
        kind: "replay",
        answer: {
          status: held.responseStatus ?? 200,
          headers: held.responseHeaders ?? {},
          body: held.responseBody ?? "",
        },
      };
    },
    async keep(request, answer) {
      await db
        .update(idempotencyKeys)
        .set({
          status: "done",
          responseStatus: answer.status,
          responseHeaders: answer.headers,
          responseBody: answer.body,
        })
        .where(and(keyOf(request), eq(idempotencyKeys.status, "running")));
    },
    async release(request) {
      await db.delete(idempotencyKeys).where(and(keyOf(request), eq(idempotencyKeys.status, "running")));
    },
    async sweep() {
      const gone = await db
        .delete(idempotencyKeys)
        .where(lt(idempotencyKeys.createdAt, sql`now() - make_interval(hours => ${IDEMPOTENCY_KEY_HOURS})`))
        .returning({ key: idempotencyKeys.key });
      return gone.length;
    },
  };
}

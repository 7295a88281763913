import type { RequestIdVariables } from "hono/request-id";
import type { TimingVariables } from "hono/timing";
import type { Caller } from "../platform/auth/caller";

/** What middleware leaves on the context for those after it. */
export interface AppEnv {
  Variables: RequestIdVariables &
    TimingVariables & {
      /** Set as soon as the router has matched an operation of the contract. */
      operationId?: string;
      /** Set by authentication when the caller sent valid credentials. */
      caller?: Caller;
      /** The caller's id, for per-user rate limits. */
      userId?: string;
    };
}

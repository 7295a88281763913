import type { RequestIdVariables } from "hono/request-id";
import type { TimingVariables } from "hono/timing";

/** What middleware leaves on the context for those after it. */
export interface AppEnv {
  Variables: RequestIdVariables &
    TimingVariables & {
      /** Set as soon as the router has matched an operation of the contract. */
      operationId?: string;
    };
}

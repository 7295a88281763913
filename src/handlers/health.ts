import type { Handlers } from "../../generated/server";
import { checkReadiness, type Probe } from "../domain/health";
import type { AppEnv } from "../http/env";
import { HttpProblem } from "../http/problem";

export interface HealthDependencies {
  database: Probe;
  cache: Probe;
  version: string;
  startedAt: number;
}

const NO_STORE = { "Cache-Control": "no-store" };

export function healthHandlers(
  deps: HealthDependencies,
): Pick<Handlers<AppEnv>, "getHealth" | "getReadiness"> {
  return {
    getHealth: (c) => {
      const uptimeSeconds = Math.round((performance.now() - deps.startedAt) / 10) / 100;
      return c.json({ status: "ok" as const, version: deps.version, uptimeSeconds }, 200, NO_STORE);
    },
    getReadiness: async (c) => {
      const { status, checks } = await checkReadiness(deps);
      if (status === "not_ready") {
        throw new HttpProblem({
          status: 503,
          code: "not_ready",
          title: "Service not ready",
          detail: `database is down: ${checks.database.error ?? "unreachable"}`,
          extensions: { checks },
          headers: NO_STORE,
        });
      }
      return c.json({ status, checks }, 200, NO_STORE);
    },
  };
}

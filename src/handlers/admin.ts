import type { Handlers } from "../../generated/server";
import { listUsers } from "../domain/accounts/directory";
import type { AppEnv } from "../http/env";
import type { Db } from "../platform/db";

export function adminHandlers(deps: { db: Db }): Pick<Handlers<AppEnv>, "listUsers"> {
  return {
    listUsers: async (c) => c.json(await listUsers(deps.db, c.req.valid("query")), 200),
  };
}

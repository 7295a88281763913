import { and, desc, eq, lt, or } from "drizzle-orm";
import { z } from "zod";
import { users } from "../../../db/schema/index.ts";
import type { UserList } from "../../../generated/server";
import type { Db } from "../../platform/db";
import type { CursorCodec } from "../pagination/signed-cursor";
import { toUser } from "./sessions";

const Position = z.strictObject({ createdAt: z.iso.datetime({ offset: true }), id: z.string().min(1) });

/**
 * Accounts newest first; the cursor is the last (createdAt, id) seen, so pages never overlap. It is
 * signed, so a client can only hand back a position this API wrote.
 */
export async function listUsers(
  { db, cursors }: { db: Db; cursors: CursorCodec },
  page: { limit: number; cursor?: string },
): Promise<UserList> {
  const after = page.cursor ? cursors.decode(page.cursor, Position) : undefined;
  const rows = await db
    .select()
    .from(users)
    .where(
      after
        ? or(
            lt(users.createdAt, new Date(after.createdAt)),
            and(eq(users.createdAt, new Date(after.createdAt)), lt(users.id, after.id)),
          )
        : undefined,
    )
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(page.limit + 1);
  const data = rows.slice(0, page.limit).map(toUser);
  const last = data.at(-1);
  return {
    data,
    nextCursor:
      rows.length > page.limit && last ? cursors.encode({ createdAt: last.createdAt, id: last.id }) : null,
  };
}

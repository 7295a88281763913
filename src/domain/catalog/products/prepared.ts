import { createHash } from "node:crypto";
import type { Db } from "../../../platform/db.ts";

interface Preparable<P> {
  toSQL(): { sql: string };
  prepare(name: string): P;
}

/**
 * The hot reads run as named prepared statements: Drizzle builds the SQL once instead of on every
 * request, and PostgreSQL parses it once per connection instead of on every call. The name comes
 * from the text, so one text always has one name, whichever code path prepares it first.
 */
export function prepareNamed<P>(query: Preparable<P>): P {
  const digest = createHash("sha1").update(query.toSQL().sql).digest("hex").slice(0, 24);
  return query.prepare(`catalog_${digest}`);
}

/**
 * One prepared statement per database handle and shape: a statement is bound to the handle (a
 * pool, or a transaction's connection) it was prepared on, and a shape (which filters are set,
 * the order, the audience) decides its text. Shapes are few, so the maps stay small.
 */
export function preparedPerDb<S, P>(
  keyOf: (shape: S) => string,
  build: (db: Db, shape: S) => P,
): (db: Db, shape: S) => P {
  const byDb = new WeakMap<Db, Map<string, P>>();
  return (db, shape) => {
    let byKey = byDb.get(db);
    if (!byKey) {
      byKey = new Map();
      byDb.set(db, byKey);
    }
    const key = keyOf(shape);
    let prepared = byKey.get(key);
    if (!prepared) {
      prepared = build(db, shape);
      byKey.set(key, prepared);
    }
    return prepared;
  };
}

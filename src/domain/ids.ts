import { randomBytes } from "node:crypto";

/** An id no one can guess or count: a kind's prefix and 128 random bits (`chk_`, `ord_`, `pay_`). */
export const unguessableId = (prefix: string): string => `${prefix}_${randomBytes(16).toString("base64url")}`;

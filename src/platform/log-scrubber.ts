/**
 * Takes secrets out of what is about to be logged:
 *
 * - a field named like a secret (password, token, secret, code, otp, authorization, cookie,
 *   apiKey...), at any depth, is censored whatever its value;
 * - the parameters of a failed query are censored: Drizzle's error carries them in `params` and
 *   repeats them in its message and stack (`Failed query: <sql>\nparams: <values>`); the SQL text,
 *   which is ours, is kept;
 * - every value censored by either rule is also censored wherever else it appears in the same log
 *   call: PostgreSQL repeats input in its messages (`invalid input syntax ...: "<value>"`) and in
 *   `detail` (`Key (email)=(<value>) already exists`, `Failing row contains (<values>)`), whose
 *   values are censored by their shape too;
 * - credentials inside free text are censored by their shape: `Bearer <token>`, the password of
 *   `scheme://user:password@host`, `?token=` and the like in a link.
 *
 * Errors are serialized here, into plain data (type, message, stack, their own fields and their
 * `cause`, scrubbed alike), so that nothing of theirs reaches the log unscrubbed.
 */

export const CENSOR = "[redacted]";

/** Shorter values are left where they appear elsewhere: they are no secret this app keeps (codes have six digits). */
const MIN_SECRET_LENGTH = 6;
const MAX_DEPTH = 10;

/** Whole words (of camelCase, snake_case or kebab-case names) that name a secret. */
const SECRET_WORDS = new Set([
  "password",
  "passwd",
  "passphrase",
  "pass",
  "pwd",
  "secret",
  "token",
  "otp",
  "totp",
  "hotp",
  "authorization",
  "cookie",
  "credential",
  "salt",
  "jwt",
]);
const SINGULAR_OF_SECRET = new Set([...SECRET_WORDS, "code"].map((word) => `${word}s`));
/** Names run together that name a secret: `apiKey`, `x-api-key`, `privateKey`. */
const SECRET_COMPOUNDS = ["apikey", "privatekey", "secretkey", "accesskey", "signingkey"];
/** What a `...Code` is when it is a secret one (`backupCodes`, `verificationCode`), not `statusCode`. */
const SECRET_CODE_KINDS = new Set([
  "backup",
  "recovery",
  "verification",
  "verify",
  "reset",
  "sign",
  "login",
  "auth",
]);
/** Fields that hold the values bound to a query. */
const PARAMETER_FIELDS = new Set(["params", "parameters", "values", "bindings"]);

/** Log lines use few distinct field names: each is judged once. */
const secretNames = new Map<string, boolean>();
const MAX_REMEMBERED_NAMES = 10_000;

export function isSecretName(name: string): boolean {
  let secret = secretNames.get(name);
  if (secret === undefined) {
    secret = judgeName(name);
    if (secretNames.size < MAX_REMEMBERED_NAMES) secretNames.set(name, secret);
  }
  return secret;
}

function judgeName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((word) => (word.endsWith("s") && SINGULAR_OF_SECRET.has(word) ? word.slice(0, -1) : word));
  if (words.some((word) => SECRET_WORDS.has(word))) return true;
  const joined = words.join("");
  if (SECRET_COMPOUNDS.some((compound) => joined.includes(compound))) return true;
  if (words.at(-1) !== "code") return false;
  return words.length === 1 || words.slice(0, -1).some((word) => SECRET_CODE_KINDS.has(word));
}

/** Drizzle's `\nparams: <values>`, up to the end of the message or to the stack frames after it. */
const QUERY_PARAMETERS = /(\nparams: )[\s\S]*?(?=\n\s+at |\ncaused by: |$)/g;
/** PostgreSQL's `Key (email)=(ada@example.com) already exists.` */
const KEY_VALUES = /(\bKey \(.*?\)=)\(.*\)/g;
/** PostgreSQL's `Failing row contains (1, ada@example.com, ...).` */
const FAILING_ROW = /(\bFailing row contains )\(.*\)/g;
/** Credentials as an Authorization header carries them (long enough not to be prose). */
const AUTHORIZATION_VALUE = /\b(Bearer|Basic) [\w.~+/=-]{8,}/g;
/** The password of `scheme://user:password@host`. */
const URL_PASSWORD = /(\/\/[^/\s:@]+:)[^/\s@]+@/g;
const SECRET_QUERY_VALUE = /([?&](?:token|code|otp|password|secret|api_?key|signature)=)[^&#\s"']+/gi;

interface Walk {
  /** Values censored somewhere in this log call, to be censored everywhere in it. */
  secrets: Set<string>;
  /** The objects being walked (cycle detection). */
  ancestors: Set<object>;
}

/** The arguments of one log call, scrubbed; an Error first becomes `{ err }`, as pino would log it. */
export function scrubLogArguments(args: readonly unknown[]): unknown[] {
  const walk: Walk = { secrets: new Set(), ancestors: new Set() };
  const [first, ...rest] = args;
  const scrubbed =
    first instanceof Error
      ? withMessage(
          { err: scrubValue(first, walk, 0) },
          rest.map((arg) => scrubValue(arg, walk, 0)),
        )
      : args.map((arg) => scrubValue(arg, walk, 0));
  return walk.secrets.size === 0 ? scrubbed : (censorKnown(scrubbed, orderedSecrets(walk)) as unknown[]);
}

/** One value (a logger's bindings, say), scrubbed as a log call's argument is. */
export function scrubForLog(value: unknown): unknown {
  return scrubLogArguments([value])[0];
}

/** pino takes the message of an Error logged on its own as the line's message; so does this. */
function withMessage(merged: { err: unknown }, rest: unknown[]): unknown[] {
  if (rest.length > 0) return [merged, ...rest];
  const message = (merged.err as { message?: unknown }).message;
  return typeof message === "string" ? [merged, message] : [merged];
}

function scrubValue(value: unknown, walk: Walk, depth: number): unknown {
  if (typeof value === "string") return scrubText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth > MAX_DEPTH) return "[too deep]";
  if (walk.ancestors.has(value)) return "[circular]";
  walk.ancestors.add(value);
  try {
    if (value instanceof Error) return scrubError(value, walk, depth);
    if (Array.isArray(value)) return value.map((item) => scrubValue(item, walk, depth + 1));
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    // What JSON.stringify would write (a Date's string, a URL's href): scrubbed like the rest.
    if (typeof toJSON === "function") return scrubValue(toJSON.call(value), walk, depth + 1);
    return scrubFields(value as Record<string, unknown>, Object.keys(value), walk, depth, false);
  } finally {
    walk.ancestors.delete(value);
  }
}

function scrubFields(
  source: Record<string, unknown>,
  names: string[],
  walk: Walk,
  depth: number,
  ofError: boolean,
): Record<string, unknown> {
  const scrubbed: Record<string, unknown> = {};
  for (const name of names) {
    const value = source[name];
    // An error's `code` is what kind of error it is (a SQLSTATE, ECONNREFUSED), never a secret.
    const secret = isSecretName(name) && !(ofError && name === "code");
    if (secret || (PARAMETER_FIELDS.has(name) && Array.isArray(value))) {
      collectSecrets(value, walk.secrets, depth);
      scrubbed[name] = CENSOR;
    } else {
      scrubbed[name] = scrubValue(value, walk, depth + 1);
    }
  }
  return scrubbed;
}

function scrubError(error: Error, walk: Walk, depth: number): Record<string, unknown> {
  const { cause, errors } = error as { cause?: unknown; errors?: unknown };
  const fields = Object.keys(error).filter((name) => name !== "cause" && name !== "errors");
  return {
    type: error.constructor?.name || error.name,
    message: scrubText(error.message),
    ...(error.stack === undefined ? {} : { stack: scrubText(error.stack) }),
    ...scrubFields(error as unknown as Record<string, unknown>, fields, walk, depth, true),
    ...(Array.isArray(errors) ? { errors: scrubValue(errors, walk, depth + 1) } : {}),
    ...(cause === undefined ? {} : { cause: scrubValue(cause, walk, depth + 1) }),
  };
}

/** Every pattern above needs one of these; most strings logged (ids, paths, names) have none. */
const MAY_HOLD_CREDENTIALS = /[\s(@=]/;

function scrubText(text: string): string {
  if (!MAY_HOLD_CREDENTIALS.test(text)) return text;
  let scrubbed = text;
  if (scrubbed.includes("\nparams: ")) scrubbed = scrubbed.replace(QUERY_PARAMETERS, `$1${CENSOR}`);
  if (scrubbed.includes("Key (")) scrubbed = scrubbed.replace(KEY_VALUES, `$1(${CENSOR})`);
  if (scrubbed.includes("Failing row contains (")) scrubbed = scrubbed.replace(FAILING_ROW, `$1(${CENSOR})`);
  if (scrubbed.includes("Bearer ") || scrubbed.includes("Basic "))
    scrubbed = scrubbed.replace(AUTHORIZATION_VALUE, `$1 ${CENSOR}`);
  if (scrubbed.includes("@")) scrubbed = scrubbed.replace(URL_PASSWORD, `$1${CENSOR}@`);
  if (scrubbed.includes("=")) scrubbed = scrubbed.replace(SECRET_QUERY_VALUE, `$1${CENSOR}`);
  return scrubbed;
}

function collectSecrets(value: unknown, secrets: Set<string>, depth: number): void {
  if (typeof value === "string") {
    if (value.length >= MIN_SECRET_LENGTH) secrets.add(value);
  } else if (value !== null && typeof value === "object" && depth <= MAX_DEPTH) {
    for (const item of Object.values(value)) collectSecrets(item, secrets, depth + 1);
  }
}

/** Longest first, so that a secret containing another is censored whole. */
function orderedSecrets(walk: Walk): string[] {
  return [...walk.secrets].sort((a, b) => b.length - a.length);
}

/** Scrubbed data is plain (strings, arrays, records), without cycles. */
function censorKnown(value: unknown, secrets: string[]): unknown {
  if (typeof value === "string") {
    let censored = value;
    for (const secret of secrets)
      if (censored.includes(secret)) censored = censored.replaceAll(secret, CENSOR);
    return censored;
  }
  if (Array.isArray(value)) return value.map((item) => censorKnown(item, secrets));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => [name, censorKnown(item, secrets)]),
    );
  }
  return value;
}

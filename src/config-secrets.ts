import { readFileSync } from "node:fs";

/**
 * The variables that may hold a secret, and so may instead name a file that holds it
 * (`AUTH_SECRET_FILE=/run/secrets/auth-secret`): Docker and Swarm secrets are files, and a value
 * read from a file never shows in `docker inspect` or the process environment.
 */
const SECRET_VARIABLES = [
  "DATABASE_URL",
  "DATABASE_PASSWORD",
  "REDIS_URL",
  "AUTH_SECRET",
  "METRICS_TOKEN",
  "SMTP_URL",
  "PAYMENT_WEBHOOK_SECRET",
  "STRIPE_SECRET_KEY",
  "STRIPE_WEBHOOK_SECRET",
] as const;

export class SecretFileError extends Error {
  override name = "SecretFileError";
}

/**
 * `env` with every `X_FILE` of a secret variable replaced by `X` holding the file's content (one
 * trailing newline dropped, as `echo` and editors add one), and DATABASE_PASSWORD written into
 * DATABASE_URL, so that the URL itself can stay free of the password.
 */
export function withSecretFiles(
  env: Record<string, string | undefined>,
  readFile: (path: string) => string = (path) => readFileSync(path, "utf8"),
): Record<string, string | undefined> {
  const resolved = { ...env };
  for (const name of SECRET_VARIABLES) {
    const path = env[`${name}_FILE`]?.trim();
    if (!path) continue;
    if (env[name]?.trim())
      throw new SecretFileError(`Invalid ${name}_FILE: set ${name} or ${name}_FILE, not both`);
    try {
      resolved[name] = readFile(path).replace(/\r?\n$/, "");
    } catch {
      // The reason (missing, unreadable) is the operator's to find; the path is enough to start.
      throw new SecretFileError(`Invalid ${name}_FILE: cannot read ${path}`);
    }
    delete resolved[`${name}_FILE`];
  }
  return withDatabasePassword(resolved);
}

function withDatabasePassword(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const password = env.DATABASE_PASSWORD;
  if (password === undefined || password === "") return env;
  const { DATABASE_PASSWORD: _password, ...rest } = env;
  if (!env.DATABASE_URL?.trim())
    throw new SecretFileError(
      "Invalid DATABASE_PASSWORD: it is the password of DATABASE_URL, which is unset",
    );
  let url: URL;
  try {
    url = new URL(env.DATABASE_URL);
  } catch {
    throw new SecretFileError("Invalid DATABASE_URL: must be a postgres:// URL");
  }
  if (url.password)
    throw new SecretFileError("Invalid DATABASE_PASSWORD: DATABASE_URL already holds a password");
  // Encoded whole: the URL setter would leave a "%" as it is, which the driver then misreads.
  url.password = encodeURIComponent(password);
  return { ...rest, DATABASE_URL: url.href };
}

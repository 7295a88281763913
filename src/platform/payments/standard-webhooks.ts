import { createHmac, timingSafeEqual } from "node:crypto";

/** How old a signature may be: as Stripe's default, five minutes either way. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/** `whsec_` and the base64 key, as Standard Webhooks writes secrets; the key is the decoded part. */
const keyOf = (secret: string) => Buffer.from(secret.replace(/^whsec_/, ""), "base64");

const signatureOf = (secret: string, id: string, timestamp: string, body: string) =>
  createHmac("sha256", keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest();

/** The Standard Webhooks headers for a body (https://www.standardwebhooks.com). */
export function signWebhook(secret: string, id: string, body: string, at = new Date()): SignedHeaders {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  return {
    "webhook-id": id,
    "webhook-timestamp": timestamp,
    "webhook-signature": `v1,${signatureOf(secret, id, timestamp, body).toString("base64")}`,
  };
}

/** Why the headers do not vouch for the body, or undefined when they do. */
export function webhookSignatureProblem(
  secret: string,
  body: string,
  header: (name: string) => string | undefined,
  now = Date.now(),
): string | undefined {
  const id = header("webhook-id");
  const timestamp = header("webhook-timestamp");
  const signatures = header("webhook-signature");
  if (!id || !timestamp || !signatures)
    return "webhook-id, webhook-timestamp and webhook-signature are required";
  const seconds = Number(timestamp);
  if (!Number.isSafeInteger(seconds)) return "webhook-timestamp is not a number of seconds";
  if (Math.abs(now / 1000 - seconds) > SIGNATURE_TOLERANCE_SECONDS) return "the signature is too old";
  const expected = signatureOf(secret, id, timestamp, body);
  const matches = signatures.split(" ").some((candidate) => {
    const [version, value] = candidate.split(",", 2);
    if (version !== "v1" || !value) return false;
    const given = Buffer.from(value, "base64");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? undefined : "no signature matches the body";
}

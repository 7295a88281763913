// `npm run bench -- account-timing`: do the password-reset and sign-in-code requests answer as
// fast for an address with an account as for one without? Many pairs (an existing account, an
// unknown address) of both operations are sent one request at a time, all shuffled together:
// an account's request leaves work behind (the outbox worker makes and mails its token), so what
// came just before a request must not depend on which side the request is on, or the pairs'
// own order would show up in the medians. Timing is measured here, never asserted in a test.

import { randomInt } from "node:crypto";

const PAIRS = Number(process.env.BENCH_PAIRS ?? 300);
const WARM_UP_PAIRS = 30;
/** Each side cycles through this many addresses, so that neither keeps hitting one counter key. */
const ADDRESSES = 10;
/** A pause between requests, so that most of the work one request left behind is done before the next. */
const PAUSE_MS = Number(process.env.BENCH_PAUSE_MS ?? 10);

const OPERATIONS = [
  { operation: "requestPasswordReset", path: "/api/auth/password-reset" },
  { operation: "sendSignInCode", path: "/api/auth/email-otp" },
] as const;

export interface TimingRow {
  operation: string;
  request: string;
  pairs: number;
  existingMedianMs: number;
  unknownMedianMs: number;
  /** Existing minus unknown. */
  differenceMs: number;
  existingP90Ms: number;
  unknownP90Ms: number;
}

const post = (url: string, path: string, body: object) =>
  fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

async function timed(url: string, path: string, email: string): Promise<number> {
  const started = performance.now();
  const response = await post(url, path, { email });
  await response.arrayBuffer();
  const elapsed = performance.now() - started;
  if (response.status !== 202) throw new Error(`${path} answered ${response.status} for ${email}`);
  return elapsed;
}

const pause = () => new Promise((resolve) => setTimeout(resolve, PAUSE_MS));

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = sorted[Math.floor(position)] as number;
  const above = sorted[Math.ceil(position)] as number;
  return below + (above - below) * (position - Math.floor(position));
}

/** Fisher-Yates. */
function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = randomInt(index + 1);
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

async function registerAccounts(url: string, tag: string): Promise<string[]> {
  const emails: string[] = [];
  for (let index = 0; index < ADDRESSES; index += 1) {
    const email = `timing-${tag}-${index}@joxicrochet.test`;
    const response = await post(url, "/api/auth/register", {
      email,
      password: "timing-password-crochet",
      name: "Timing",
    });
    if (response.status !== 201 && response.status !== 409) {
      throw new Error(`registering ${email}: ${response.status} ${await response.text()}`);
    }
    emails.push(email);
  }
  return emails;
}

export async function measureAccountTiming(url: string): Promise<TimingRow[]> {
  const tag = Math.random().toString(36).slice(2, 8);
  const existing = await registerAccounts(url, tag);
  const unknown = Array.from({ length: ADDRESSES }, (_, index) => `nobody-${tag}-${index}@joxicrochet.test`);
  const samples = new Map(
    OPERATIONS.map(({ operation }) => [operation, { existing: [] as number[], unknown: [] as number[] }]),
  );

  const requests = [];
  for (let pair = 0; pair < WARM_UP_PAIRS + PAIRS; pair += 1) {
    for (const { operation, path } of OPERATIONS) {
      const warmUp = pair < WARM_UP_PAIRS;
      requests.push({
        operation,
        path,
        warmUp,
        side: "existing" as const,
        email: existing[pair % ADDRESSES] as string,
      });
      requests.push({
        operation,
        path,
        warmUp,
        side: "unknown" as const,
        email: unknown[pair % ADDRESSES] as string,
      });
    }
  }
  // The warm-up pairs come first; the measured ones follow in a random order.
  const warmUp = shuffled(requests.filter((request) => request.warmUp));
  const measured = shuffled(requests.filter((request) => !request.warmUp));
  for (const { operation, path, side, email, warmUp: discarded } of [...warmUp, ...measured]) {
    const ms = await timed(url, path, email);
    if (!discarded) samples.get(operation)?.[side].push(ms);
    await pause();
  }

  return OPERATIONS.map(({ operation, path }) => {
    const { existing: known, unknown: stranger } = samples.get(operation) as {
      existing: number[];
      unknown: number[];
    };
    const existingMedian = quantile(known, 0.5);
    const unknownMedian = quantile(stranger, 0.5);
    return {
      operation,
      request: `POST ${path}`,
      pairs: known.length,
      existingMedianMs: round(existingMedian),
      unknownMedianMs: round(unknownMedian),
      differenceMs: round(existingMedian - unknownMedian),
      existingP90Ms: round(quantile(known, 0.9)),
      unknownP90Ms: round(quantile(stranger, 0.9)),
    };
  });
}

export const accountTiming = {
  name: "account-timing",
  description: `password reset and sign-in code: an existing account against an unknown address (${PAIRS} pairs of each, all shuffled, one request at a time, ${PAUSE_MS} ms apart)`,
  measure: measureAccountTiming,
};

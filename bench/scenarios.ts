export interface Target {
  path: string;
  /** Several paths, requested in turn by each connection (the first is `path`). */
  paths?: string[];
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
}

export interface Scenario {
  name: string;
  description: string;
  /** Prepares what the targets need (an account, a token) on the running server. */
  prepare?(url: string): Promise<void>;
  /** The cheapest comparable operation, measured in the same run; every target is reported against it. */
  baseline: () => Target;
  targets: () => Record<string, Target>;
  /** Latency is compared at one connection, so that queueing does not hide per-request cost. */
  connections?: number;
  /** A figure measured outside the server, printed beside the table (e.g. the raw hash rate). */
  reference?(): Promise<{ label: string; perSecond: number }>;
}

const account = { email: "bench@joxicrochet.test", password: "bench-password-crochet", name: "Bench" };
let accessToken = "";

async function signUpOrIn(url: string): Promise<void> {
  const post = (path: string, body: object) =>
    fetch(`${url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  let response = await post("/api/auth/register", account);
  if (response.status === 409) {
    response = await post("/api/auth/login", { email: account.email, password: account.password });
  }
  if (!response.ok) throw new Error(`bench account: ${response.status} ${await response.text()}`);
  accessToken = ((await response.json()) as { accessToken: string }).accessToken;
}

export const scenarios: Scenario[] = [
  {
    name: "catalog-reads",
    description: "catalog reads (categories, products, search) against the liveness probe",
    baseline: () => ({ path: "/health" }),
    targets: () => ({
      "category tree": { path: "/api/categories" },
      "top-level categories": { path: "/api/categories?depth=1" },
      "product by id, /api/products/1 to /100": {
        path: "/api/products/1",
        paths: Array.from({ length: 100 }, (_, index) => `/api/products/${index + 1}`),
      },
      "first page of products (20)": { path: "/api/products" },
      "category page, price order": { path: "/api/products?category=amigurumi&sort=price_asc" },
      "search 'granny square blanket'": { path: "/api/products?q=granny%20square%20blanket" },
      "search with a typo 'blankt'": { path: "/api/products?q=blankt" },
      "revalidation: If-None-Match on product 1 (304)": {
        path: "/api/products/1",
        headers: { "if-none-match": '"1-1"' },
      },
    }),
  },
  {
    name: "auth-cost",
    description: "a Bearer-protected read against public reads",
    connections: 1,
    prepare: signUpOrIn,
    baseline: () => ({ path: "/health" }),
    targets: () => ({
      "public, rate-limited (categories depth=1)": { path: "/api/categories?depth=1" },
      "GET /api/auth/me, no credentials (401)": { path: "/api/auth/me" },
      "GET /api/auth/me, Bearer": {
        path: "/api/auth/me",
        headers: { authorization: `Bearer ${accessToken}` },
      },
    }),
    reference: async () => {
      const { verificationRate } = await import("./verify-rate");
      return {
        label: "access-token verifications/s in process (RS256, jose)",
        perSecond: await verificationRate(3),
      };
    },
  },
  {
    name: "logins",
    description: "password sign-ins against the raw argon2id verification rate of this machine",
    prepare: signUpOrIn,
    baseline: () => ({ path: "/health" }),
    targets: () => ({
      "POST /api/auth/login": {
        path: "/api/auth/login",
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: account.email, password: account.password }),
      },
    }),
    reference: async () => {
      const { argon2VerifyRate } = await import("./hash-rate");
      return {
        label: "raw argon2id verifications/s (m=19 MiB, t=2, p=1; one per core in flight)",
        perSecond: await argon2VerifyRate(5),
      };
    },
  },
];

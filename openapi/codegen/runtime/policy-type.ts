/** What the middleware chain needs to know about one operation, read from the contract. */
export interface OperationPolicy {
  operationId: string;
  /** Upper-case HTTP method. */
  method: string;
  /** The contract's path template, `/api/products/{id}`. */
  path: string;
  /** The same path in Hono's syntax, `/api/products/:id`. */
  honoPath: string;
  tags: string[];
  /** `required: false` with schemes: credentials are read when sent, never demanded. */
  auth: { required: boolean; schemes: string[] };
  /** Any one of these roles may call the operation; empty means any authenticated caller. */
  roles: string[];
  /** `x-cache`: how long a response may be cached, under which tags. */
  cache: { ttl: number; tags: string[] } | null;
  /** `x-invalidates`: the cache tags a successful call makes stale. */
  invalidates: string[];
  /** `x-rate-limit`: a limit stricter than the general one. */
  rateLimit: { limit: number; windowSeconds: number; by: ("ip" | "email" | "user")[] } | null;
  /** Whether the general per-IP limit applies (`x-rate-limit: false` exempts an operation). */
  generalRateLimit: boolean;
  /**
   * Declared by an `Idempotency-Key` header parameter: the first answer to a key is kept and
   * replayed to a retry that carries it.
   */
  idempotency: { required: boolean } | null;
  /**
   * The media types the request body may have, when the operation takes one, and `x-body-limit`:
   * the largest body in bytes, when it differs from the app-wide limit.
   */
  body: { required: boolean; mediaTypes: string[]; maxBytes: number | null } | null;
}

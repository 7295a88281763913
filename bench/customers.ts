// The pool of existing customers the seed scenario signs in as. Bench-only accounts on the
// bench's own database; the password is no secret (it exists nowhere else).

export interface Customer {
  email: string;
  password: string;
}

export const CUSTOMER_POOL_SIZE = Number(process.env.BENCH_CUSTOMERS ?? 50);
const PASSWORD = "bench-customer-password-crochet";

export function customerPool(size = CUSTOMER_POOL_SIZE): Customer[] {
  return Array.from({ length: size }, (_, index) => ({
    email: `bench-customer-${index + 1}@joxicrochet.test`,
    password: PASSWORD,
  }));
}

/** Registers each customer through the API, a few at a time; one already there (409) is kept. */
export async function ensureCustomers(url: string, pool: readonly Customer[], inFlight = 4): Promise<void> {
  const queue = [...pool.entries()];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [index, customer] = next;
      const response = await fetch(`${url}/api/auth/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...customer, name: `Bench Customer ${index + 1}` }),
      });
      await response.arrayBuffer();
      if (!response.ok && response.status !== 409) {
        throw new Error(`registering ${customer.email}: ${response.status}`);
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

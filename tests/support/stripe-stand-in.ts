import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

interface Intent {
  id: string;
  object: "payment_intent";
  amount: number;
  currency: string;
  status: string;
  client_secret: string;
  metadata: Record<string, string>;
  last_payment_error: null;
}

export interface StandInRequest {
  method: string;
  path: string;
  form: URLSearchParams;
  idempotencyKey: string | undefined;
  authorization: string | undefined;
}

/**
 * A local stand-in for the few Stripe API calls the shop makes (PaymentIntents and refunds), so
 * that the official client's requests can be seen and answered without leaving this machine.
 */
export interface StripeStandIn {
  url: string;
  requests: StandInRequest[];
  intents: Map<string, Intent>;
  /** The customer pays: the intent succeeds, as Stripe.js confirming it would make it. */
  succeed(id: string): void;
  close(): Promise<void>;
}

const body = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = "";
    request.on("data", (chunk) => {
      text += chunk;
    });
    request.on("end", () => resolve(text));
  });

export async function startStripeStandIn(): Promise<StripeStandIn> {
  const requests: StandInRequest[] = [];
  const intents = new Map<string, Intent>();
  const byKey = new Map<string, unknown>();
  const server: Server = createServer(async (request, response) => {
    const path = new URL(request.url ?? "/", "http://stand-in").pathname;
    const form = new URLSearchParams(await body(request));
    const idempotencyKey = request.headers["idempotency-key"] as string | undefined;
    requests.push({
      method: request.method ?? "",
      path,
      form,
      idempotencyKey,
      authorization: request.headers.authorization,
    });
    const answer = (status: number, json: unknown) => {
      response.writeHead(status, {
        "content-type": "application/json",
        "request-id": `req_${randomBytes(6).toString("hex")}`,
      });
      response.end(JSON.stringify(json));
    };
    const earlier = idempotencyKey ? byKey.get(`${path} ${idempotencyKey}`) : undefined;
    if (earlier) return answer(200, earlier);
    const remember = (json: unknown) => {
      if (idempotencyKey) byKey.set(`${path} ${idempotencyKey}`, json);
      answer(200, json);
    };
    if (request.method === "POST" && path === "/v1/payment_intents") {
      const id = `pi_${randomBytes(12).toString("hex")}`;
      const intent: Intent = {
        id,
        object: "payment_intent",
        amount: Number(form.get("amount")),
        currency: form.get("currency") ?? "",
        status: "requires_payment_method",
        client_secret: `${id}_secret_${randomBytes(8).toString("hex")}`,
        metadata: { checkoutId: form.get("metadata[checkoutId]") ?? "" },
        last_payment_error: null,
      };
      intents.set(id, intent);
      return remember(intent);
    }
    const intentMatch = /^\/v1\/payment_intents\/([^/]+)(\/cancel)?$/.exec(path);
    const intent = intentMatch ? intents.get(intentMatch[1] ?? "") : undefined;
    if (intentMatch && !intent)
      return answer(404, { error: { type: "invalid_request_error", message: "No such payment_intent" } });
    if (intent && request.method === "GET") return answer(200, intent);
    if (intent && intentMatch?.[2]) {
      intent.status = "canceled";
      return remember(intent);
    }
    if (request.method === "POST" && path === "/v1/refunds") {
      return remember({
        id: `re_${randomBytes(12).toString("hex")}`,
        object: "refund",
        payment_intent: form.get("payment_intent"),
        status: "succeeded",
      });
    }
    answer(404, {
      error: {
        type: "invalid_request_error",
        message: `Unrecognized request URL (${request.method}: ${path})`,
      },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    intents,
    succeed(id) {
      const intent = intents.get(id);
      if (!intent) throw new Error(`stand-in: no intent ${id}`);
      intent.status = "succeeded";
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SmtpSink, startSmtpSink } from "../integration/mailer/smtp-sink";
import { type RunningServer, startServer, startWorker } from "./support/server";

const mailTo = (sink: SmtpSink, address: string) =>
  sink.received.filter((mail) => mail.envelope.to.includes(address));

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

// The worker process shares the API's PostgreSQL; the embedded database is one process's alone.
describe.runIf(process.env.DATABASE_URL)("npm run worker: the outbox in a process of its own", () => {
  let sink: SmtpSink;
  let api: RunningServer;
  let worker: RunningServer | undefined;

  beforeAll(async () => {
    sink = await startSmtpSink();
    api = await startServer({ RUN_WORKER: "false", SMTP_URL: sink.url, SEED_ON_START: "false" });
  }, 90_000);
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await sink?.close();
  });

  it("an API with RUN_WORKER=false queues mail it does not send; the worker sends it once and stops cleanly", async () => {
    const email = `worker-${Date.now()}@example.com`;
    const registered = await fetch(`${api.url}/api/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password: "granny-square-autumn-42", name: "Ada Lovelace" }),
    });
    expect(registered.status).toBe(201);
    expect(await waitFor(() => mailTo(sink, email).length > 0, 1500)).toBe(false);

    worker = await startWorker({ SMTP_URL: sink.url });
    expect(await waitFor(() => mailTo(sink, email).length > 0, 15_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(mailTo(sink, email)).toHaveLength(1);
    expect(await worker.stop("SIGTERM")).toBe(0);
    expect(worker.logs.join("\n")).toContain("worker stopped");
  }, 60_000);
});

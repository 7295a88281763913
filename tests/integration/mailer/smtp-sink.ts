import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  parsed: ParsedMail;
}

/** An in-process SMTP server on 127.0.0.1 that keeps what it receives (or refuses it). */
export interface SmtpSink {
  url: string;
  received: ReceivedMail[];
  /** While set, every message is refused at DATA with this transient (4xx) error. */
  refuseWith: string | undefined;
  /** How many messages were refused. */
  refused: number;
  close(): Promise<void>;
}

/** On `port` when given: a server stopped and started again, where the app still points. */
export async function startSmtpSink(port = 0): Promise<SmtpSink> {
  const sink: SmtpSink = {
    url: "",
    received: [],
    refuseWith: undefined,
    refused: 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", callback);
      stream.on("end", async () => {
        if (sink.refuseWith !== undefined) {
          sink.refused += 1;
          callback(Object.assign(new Error(sink.refuseWith), { responseCode: 451 }));
          return;
        }
        try {
          const parsed = await simpleParser(Buffer.concat(chunks));
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
          sink.received.push({
            envelope: { from, to: session.envelope.rcptTo.map((r) => r.address) },
            parsed,
          });
          callback();
        } catch (error) {
          callback(error as Error);
        }
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  sink.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return sink;
}

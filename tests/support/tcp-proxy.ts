import { type AddressInfo, createConnection, createServer, type Socket } from "node:net";

/**
 * - `up`: bytes flow both ways.
 * - `down`: every connection is dropped and new ones are closed at once (a crashed server).
 * - `stalled`: connections stay open but nothing is forwarded (a hung server: commands time out).
 */
export type ProxyMode = "up" | "down" | "stalled";

/** A TCP proxy on 127.0.0.1 in front of a real server, which a test can take down and bring back. */
export interface TcpProxy {
  port: number;
  readonly mode: ProxyMode;
  /** Changing the mode drops the open connections (except into `stalled`), so clients reconnect afresh. */
  setMode(mode: ProxyMode): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: ProxyMode = "up";
  const open = new Set<Socket>();
  const track = (socket: Socket) => {
    open.add(socket);
    socket.on("close", () => open.delete(socket));
    socket.on("error", () => socket.destroy());
  };
  const dropAll = () => {
    for (const socket of open) socket.destroy();
  };

  const server = createServer((client) => {
    track(client);
    if (mode === "down") {
      client.destroy();
      return;
    }
    const upstream = createConnection(target);
    track(upstream);
    client.on("data", (chunk) => {
      if (mode === "up") upstream.write(chunk);
    });
    upstream.on("data", (chunk) => {
      if (mode === "up") client.write(chunk);
    });
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });

  return {
    port: (server.address() as AddressInfo).port,
    get mode() {
      return mode;
    },
    setMode(next) {
      if (next === mode) return;
      mode = next;
      if (next !== "stalled") dropAll();
    },
    close() {
      dropAll();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A TCP port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
export async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "../../bench/server";

/** The template Swarm and Compose give the nginx image (it renders it with envsubst at start). */
const NGINX_TEMPLATE = resolve(import.meta.dirname, "../../swarm/nginx.conf.template");
const TEMPLATE_VARIABLES = ["NGINX_RESOLVER", "API_SERVERS", "NGINX_PORT"];

/**
 * The template rendered as the nginx image's entrypoint renders it: envsubst, limited to the
 * variables given, so nginx's own `$host`-style variables pass through.
 */
export function renderNginxTemplate(values: Record<(typeof TEMPLATE_VARIABLES)[number], string>): string {
  return execFileSync("envsubst", [TEMPLATE_VARIABLES.map((name) => `\${${name}}`).join(" ")], {
    input: readFileSync(NGINX_TEMPLATE, "utf8"),
    env: { PATH: process.env.PATH, ...values },
    encoding: "utf8",
  });
}

export interface RunningNginx {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Debian's nginx in the foreground on 127.0.0.1, balancing over `upstreams` ("127.0.0.1:PORT")
 * with the deployment's template; the main file around it stands in for the image's nginx.conf
 * (everything in a temporary prefix, so it needs no system paths).
 */
export async function startNginx(upstreams: string[], port?: number): Promise<RunningNginx> {
  const prefix = mkdtempSync(join(tmpdir(), "jc-nginx-"));
  for (const folder of ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]) mkdirSync(join(prefix, folder));
  const listen = port ?? (await freePort());
  writeFileSync(
    join(prefix, "default.conf"),
    renderNginxTemplate({
      NGINX_RESOLVER: "",
      API_SERVERS: upstreams.map((address) => `    server ${address};`).join("\n"),
      NGINX_PORT: `127.0.0.1:${listen}`,
    }),
  );
  const errorLog = join(prefix, "error.log");
  writeFileSync(
    join(prefix, "nginx.conf"),
    `${process.getuid?.() === 0 ? "user root;\n" : ""}worker_processes 1;
pid ${join(prefix, "nginx.pid")};
error_log ${errorLog} warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_timeout 65;
    client_body_temp_path ${join(prefix, "client_body")};
    proxy_temp_path ${join(prefix, "proxy")};
    fastcgi_temp_path ${join(prefix, "fastcgi")};
    uwsgi_temp_path ${join(prefix, "uwsgi")};
    scgi_temp_path ${join(prefix, "scgi")};
    include ${join(prefix, "default.conf")};
}
`,
  );
  const child = spawn(
    "nginx",
    ["-p", prefix, "-e", errorLog, "-c", join(prefix, "nginx.conf"), "-g", "daemon off;"],
    {
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolveExit) => child.once("close", () => resolveExit()));
  const url = `http://127.0.0.1:${listen}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGQUIT");
    const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(force);
    rmSync(prefix, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    const answered = await fetch(`${url}/health`).then(
      () => true,
      () => false,
    );
    if (answered) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      const log = readLog(errorLog);
      await stop();
      throw new Error(`nginx did not start on ${url}:\n${stderr}\n${log}`);
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
  return { url, port: listen, stop };
}

function readLog(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

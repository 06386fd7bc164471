// A local Parley cluster: N production instances on one PostgreSQL and one
// Redis, behind nginx on loopback. The process plumbing shared by
// `npm run cluster` (scripts/cluster.ts) and the failover chaos test
// (test/integration/chaos.test.ts), on the supervisor of ./supervisor.ts:
// spawn an instance and wait for /readyz,
// generate an nginx config from deploy/nginx.conf and run nginx as a plain
// (non-system) process, create the database. No test or CLI logic here.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { delimiter, join } from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { httpReady, type Supervised, supervise } from "./supervisor.ts";

/** The built production server. */
export const PARLEY_ENTRY = ".output/server/index.mjs";
/** The committed nginx config the generated one is derived from. */
export const NGINX_TEMPLATE = "deploy/nginx.conf";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The nginx binary: Debian's /usr/sbin/nginx, or one on PATH; null when there is none. */
export function findNginx(): string | null {
  const candidates = [
    "/usr/sbin/nginx",
    ...(process.env.PATH ?? "").split(delimiter).map((dir) => join(dir, "nginx")),
  ];
  return candidates.find((path) => path && existsSync(path)) ?? null;
}

/**
 * The session secret every instance shares: read from `dataDir/auth-secret`,
 * or generated there (mode 0600) on first use, as a lone instance does.
 */
export function sharedSecret(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(file, 0o600);
  return secret;
}

/** Creates the PostgreSQL database of `url` when it does not exist yet; true if it did. */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name) throw new Error(`${url} names no database`);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({
    connectionString: admin.toString(),
    connectionTimeoutMillis: 5_000,
  });
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (found.rowCount) return false;
    await client.query(`create database "${name.replaceAll('"', '""')}"`);
    return true;
  } finally {
    await client.end();
  }
}

/** A child process of the cluster: an instance or nginx (see scripts/lib/supervisor.ts). */
export type Managed = Supervised;

/**
 * One Parley production server (`node .output/server/index.mjs`) on its own
 * port; `start` spawns it (again, after kill/stop) and waits until /readyz
 * answers 200.
 */
export type Instance = Managed & {
  readonly port: number;
  readonly url: string;
};

export function createInstance(options: {
  name: string;
  port: number;
  /** Added to this process's environment (PORT and HOST are set here). */
  env: Record<string, string>;
  onLine?: (line: string) => void;
  detached?: boolean;
}): Instance {
  const url = `http://127.0.0.1:${options.port}`;
  const proc = supervise({
    name: `${options.name} (port ${options.port})`,
    args: [PARLEY_ENTRY],
    env: {
      ...process.env,
      NODE_ENV: "production",
      ...options.env,
      PORT: String(options.port),
      HOST: "127.0.0.1",
    },
    onLine: options.onLine,
    detached: options.detached,
    // /readyz: the database and the relay answer.
    ready: httpReady(`${url}/readyz`, { timeoutMs: 30_000 }),
  });
  return Object.assign(proc, { name: options.name, port: options.port, url });
}

/** Resolves once something accepts TCP connections on the loopback port. */
export async function waitListening(
  port: number,
  alive: () => boolean,
  timeoutMs = 10_000,
  describe: () => string = () => `port ${port}`,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!alive()) throw new Error(`exited before it listened: ${describe()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: "127.0.0.1", port });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline)
      throw new Error(`not listening within ${timeoutMs} ms: ${describe()}`);
    await sleep(50);
  }
}

/**
 * A standalone nginx.conf for loopback, derived from deploy/nginx.conf: its
 * upstream lists `upstreams`, it listens on 127.0.0.1:`listenPort`, and the
 * pid, logs and temp folders live under `prefix`, so nginx runs as a plain
 * process beside (never instead of) a system one. Responses name the
 * instance that served them (X-Parley-Upstream), for tests and curious people.
 * Throws when the template no longer has the lines it rewrites.
 */
export function nginxConfig(options: {
  listenPort: number;
  upstreams: number[];
  prefix: string;
  template?: string;
}): string {
  const template = options.template ?? readFileSync(NGINX_TEMPLATE, "utf8");
  const serverLine = /^([ \t]*)server[ \t]+127\.0\.0\.1:\d+([^;\n]*);[ \t]*\n/gm;
  const first = serverLine.exec(template);
  if (!first) throw new Error(`${NGINX_TEMPLATE}: no "server 127.0.0.1:<port> ...;" upstream line`);
  const [, indent = "    ", params = ""] = first;
  const servers = options.upstreams
    .map((port) => `${indent}server 127.0.0.1:${port}${params};\n`)
    .join("");
  let body = template.replace(serverLine, (_line, _indent, _params, offset: number) =>
    offset === first.index ? servers : "",
  );
  const listen = /^([ \t]*)listen[ \t]+[^;\n]+;/m;
  if (!listen.test(body)) throw new Error(`${NGINX_TEMPLATE}: no "listen" line`);
  body = body.replace(listen, `$1listen 127.0.0.1:${options.listenPort};`);
  const location = /^([ \t]*)location \/ \{[ \t]*$/m;
  if (!location.test(body)) throw new Error(`${NGINX_TEMPLATE}: no "location / {" block`);
  body = body.replace(
    location,
    (line, indent: string) =>
      `${line}\n${indent}    add_header X-Parley-Upstream $upstream_addr always;`,
  );
  const { prefix } = options;
  const temp = (name: string) => `${name}_temp_path ${join(prefix, "temp", name)};`;
  return [
    `# Generated from ${NGINX_TEMPLATE} by scripts/lib/cluster.ts; rewritten on every start.`,
    // One worker: round-robin then spreads consecutive connections evenly.
    "worker_processes 1;",
    `pid ${join(prefix, "nginx.pid")};`,
    `error_log ${join(prefix, "error.log")} warn;`,
    "events {",
    "    worker_connections 1024;",
    "}",
    "http {",
    `    access_log ${join(prefix, "access.log")};`,
    ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((name) => `    ${temp(name)}`),
    ...body
      .trim()
      .split("\n")
      .map((line) => (line ? `    ${line}` : line)),
    "}",
    "",
  ].join("\n");
}

/** nginx in front of the instances, as a child process (`daemon off`). */
export type Nginx = Managed & { readonly port: number; readonly url: string };

export async function startNginx(options: {
  nginx: string;
  prefix: string;
  listenPort: number;
  upstreams: number[];
  detached?: boolean;
}): Promise<Nginx> {
  const { prefix, listenPort } = options;
  mkdirSync(join(prefix, "temp"), { recursive: true });
  // Run as root, nginx's workers become `nobody`: they must reach the temp folders.
  chmodSync(prefix, 0o755);
  const conf = join(prefix, "nginx.conf");
  writeFileSync(conf, nginxConfig({ listenPort, upstreams: options.upstreams, prefix }));
  const args = ["-e", join(prefix, "error.log"), "-p", prefix, "-c", conf];
  const check = spawnSync(options.nginx, [...args, "-t", "-q"], { encoding: "utf8" });
  if (check.status !== 0) {
    throw new Error(`nginx rejected ${conf}:\n${check.stderr}${check.stdout}`);
  }
  const errorLog = () => {
    const file = join(prefix, "error.log");
    return proc.output() + (existsSync(file) ? readFileSync(file, "utf8") : "");
  };
  const proc = supervise({
    name: "nginx",
    command: options.nginx,
    args: [...args, "-g", "daemon off;"],
    detached: options.detached,
    // SIGQUIT would wait for every open websocket to end; SIGTERM closes them.
    stopSignal: "SIGTERM",
    ready: () => waitListening(listenPort, () => proc.running, 10_000, errorLog),
  });
  await proc.start();
  return Object.assign(proc, { port: listenPort, url: `http://127.0.0.1:${listenPort}` });
}

export type ClusterOptions = {
  nginx: string;
  /** A postgres:// or postgresql:// URL; the database must exist (see ensureDatabase). */
  databaseUrl: string;
  redisUrl: string;
  secret: string;
  /** One instance per port. */
  instancePorts: number[];
  /** nginx's port: the cluster's public URL is http://127.0.0.1:<lbPort>. */
  lbPort: number;
  /** Each instance's PARLEY_DATA_DIR. */
  dataDir: string;
  /** nginx's prefix: its config, pid, logs and temp folders. */
  nginxPrefix: string;
  /** Extra environment for every instance (limits, LOG_LEVEL...). */
  env?: Record<string, string>;
  onLine?: (name: string, line: string) => void;
  detached?: boolean;
};

export type Cluster = {
  url: string;
  instances: Instance[];
  nginx: Nginx;
  /** Every process of the cluster, nginx last. */
  all: () => Managed[];
  /** Stops nginx and every instance (SIGTERM, SIGKILL after `timeoutMs`). */
  stop: (timeoutMs?: number) => Promise<void>;
};

/** The environment of one cluster instance (what `npm run cluster` documents). */
export function instanceEnv(options: ClusterOptions): Record<string, string> {
  return {
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    BETTER_AUTH_SECRET: options.secret,
    PARLEY_DATA_DIR: options.dataDir,
    PARLEY_TRUST_PROXY: "1",
    PARLEY_PUBLIC_URL: `http://127.0.0.1:${options.lbPort}`,
    ...options.env,
  };
}

/**
 * Starts the instances together (migrations take a lock, so they may) and
 * waits until each is ready, then nginx in front. On a failure, stops what
 * it started and throws.
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const env = instanceEnv(options);
  const instances = options.instancePorts.map((port, i) =>
    createInstance({
      name: `parley-${i + 1}`,
      port,
      env,
      detached: options.detached,
      onLine: options.onLine && ((line) => options.onLine?.(`parley-${i + 1}`, line)),
    }),
  );
  let nginx: Nginx | undefined;
  try {
    await Promise.all(instances.map((instance) => instance.start()));
    nginx = await startNginx({
      nginx: options.nginx,
      prefix: options.nginxPrefix,
      listenPort: options.lbPort,
      upstreams: options.instancePorts,
      detached: options.detached,
    });
  } catch (error) {
    await Promise.all(instances.map((instance) => instance.stop(2_000)));
    throw error;
  }
  const lb = nginx;
  return {
    url: lb.url,
    instances,
    nginx: lb,
    all: () => [...instances, lb],
    async stop(timeoutMs) {
      await Promise.all([lb.stop(timeoutMs), ...instances.map((i) => i.stop(timeoutMs))]);
    },
  };
}

/** Resolves when the Redis at `url` answers PING within a few seconds; rejects otherwise. */
export async function pingRedis(url: string): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.ping();
  } finally {
    client.disconnect();
  }
}

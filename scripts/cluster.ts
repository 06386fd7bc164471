// `npm run cluster`: a local trial of Parley scaled out. Three production
// instances on one PostgreSQL database and one Redis, behind nginx on
// loopback (no sticky sessions). Ctrl-C or SIGTERM stops everything; if any
// process dies unexpectedly, the launcher names it, stops the rest and exits 1.
//
//   DATABASE_URL   postgres URL (default postgresql://postgres@127.0.0.1:5432/parley_cluster,
//                  created when absent)
//   REDIS_URL      default redis://127.0.0.1:6379
//   PARLEY_CLUSTER_PORT  nginx's port (default 3100); instances use the next three
//   PARLEY_DATA_DIR      where the shared auth secret is kept (default ./data/cluster)
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  type Cluster,
  ensureDatabase,
  findNginx,
  PARLEY_ENTRY,
  pingRedis,
  sharedSecret,
  startCluster,
} from "./lib/cluster.ts";

const SIZE = 3;
const fail = (message: string): never => {
  console.error(`npm run cluster: ${message}`);
  process.exit(1);
};

const lbPort = Number(process.env.PARLEY_CLUSTER_PORT ?? 3100);
if (!Number.isInteger(lbPort) || lbPort < 1 || lbPort > 65535 - SIZE) {
  fail(`PARLEY_CLUSTER_PORT must be a port number, got ${process.env.PARLEY_CLUSTER_PORT}`);
}
const databaseUrl =
  process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/parley_cluster";
if (!/^postgres(ql)?:\/\//.test(databaseUrl)) {
  fail(`DATABASE_URL must be a postgres:// or postgresql:// URL for a cluster, got ${databaseUrl}`);
}
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const dataDir = resolve(process.env.PARLEY_DATA_DIR ?? "data/cluster");
const nginx = findNginx() ?? fail("nginx not found (Debian: apt-get install nginx-light)");

if (!existsSync(PARLEY_ENTRY)) {
  console.log("no .output/: running vite build");
  const build = spawnSync(process.execPath, ["node_modules/vite/bin/vite.js", "build"], {
    stdio: "inherit",
  });
  if (build.status !== 0) fail("vite build failed");
}

try {
  if (await ensureDatabase(databaseUrl)) console.log(`created database ${databaseUrl}`);
} catch (error) {
  fail(`PostgreSQL at ${databaseUrl}: ${error instanceof Error ? error.message : error}`);
}
await pingRedis(redisUrl).catch((error) =>
  fail(`Redis at ${redisUrl}: ${error instanceof Error ? error.message : error}`),
);

const nginxPrefix = mkdtempSync(join(tmpdir(), "parley-nginx-"));
const instancePorts = Array.from({ length: SIZE }, (_, i) => lbPort + 1 + i);
let cluster: Cluster | undefined;
let stopping = false;

const shutdown = async (code: number) => {
  if (stopping) return;
  stopping = true;
  await cluster?.stop();
  rmSync(nginxPrefix, { recursive: true, force: true });
  process.exit(code);
};
process.on("SIGINT", () => {
  // A second Ctrl-C does not wait for the graceful one.
  if (stopping) {
    for (const proc of cluster?.all() ?? []) proc.signal("SIGKILL");
    process.exit(130);
  }
  console.log("\nstopping (SIGTERM to every instance and nginx)...");
  void shutdown(0);
});
process.on("SIGTERM", () => void shutdown(0));

try {
  cluster = await startCluster({
    nginx,
    databaseUrl,
    redisUrl,
    secret: process.env.BETTER_AUTH_SECRET ?? sharedSecret(dataDir),
    instancePorts,
    lbPort,
    dataDir,
    nginxPrefix,
    // Own process groups: Ctrl-C reaches the launcher, which stops them in order.
    detached: true,
    onLine: (name, line) => console.log(`[${name}] ${line}`),
  });
} catch (error) {
  rmSync(nginxPrefix, { recursive: true, force: true });
  fail(error instanceof Error ? error.message : String(error));
}
const running = cluster as Cluster;
for (const proc of running.all()) {
  proc.onUnexpectedExit((code, signal) => {
    if (stopping) return;
    const port = "port" in proc ? ` (port ${proc.port})` : "";
    console.error(
      `\n${proc.name}${port} exited unexpectedly (${signal ?? `code ${code}`}); last output:\n${proc.output().slice(-2_000)}\nstopping the others`,
    );
    void shutdown(1);
  });
}

console.log(
  [
    "",
    `Parley cluster: ${running.url}`,
    ...running.instances.map((i) => `  ${i.name}: ${i.url} (pid ${i.pid})`),
    `  nginx: ${running.url} (pid ${running.nginx.pid}, config ${join(nginxPrefix, "nginx.conf")})`,
    `  database: ${databaseUrl}`,
    `  redis: ${redisUrl}`,
    "Ctrl-C stops everything.",
    "",
  ].join("\n"),
);

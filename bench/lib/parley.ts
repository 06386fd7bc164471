// Parley as the bench runs it: the built production server, started exactly
// as `npm run serve` would be in production, on a temp data folder.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { answers, freePort, type ServerProcess, startProcess } from "./proc.ts";

export const PARLEY_ENTRY = ".output/server/index.mjs";

/** Builds the production server when .output is missing (vite build). */
export function ensureBuild() {
  if (existsSync(PARLEY_ENTRY)) return;
  console.log("no .output: running vite build");
  execFileSync("npx", ["vite", "build"], { stdio: "inherit" });
}

/** The session signing secret the bench gives Parley (seeded sessions are signed with it). */
export const AUTH_SECRET = "bench-secret-bench-secret-bench-secret-01";

export const newDataDir = () => mkdtempSync(join(tmpdir(), "parley-bench-"));

/**
 * Starts Parley's production server on `dataDir`; `nodeArgs` e.g. --cpu-prof; `env` on top.
 * `ready` replaces the wait for a rendered page (a restart under a storm of
 * reconnects waits only for the port to accept).
 */
export async function startParley(
  dataDir: string,
  nodeArgs: string[] = [],
  env: Record<string, string> = {},
  ready?: (port: number) => Promise<boolean>,
): Promise<ServerProcess> {
  // A restart (the storm scenario) passes the port it had before.
  const port = env.PORT ? Number(env.PORT) : await freePort();
  return startProcess({
    name: "parley",
    port,
    args: [...nodeArgs, PARLEY_ENTRY],
    env: {
      PORT: String(port),
      HOST: "127.0.0.1",
      PARLEY_DATA_DIR: dataDir,
      DATABASE_URL: join(dataDir, "parley.db"),
      BETTER_AUTH_SECRET: AUTH_SECRET,
      PARLEY_AUTH_ATTEMPTS_PER_MINUTE: "100000",
      // The load generator is one address with thousands of sockets and
      // senders far above a person's rate: lift the abuse limits.
      PARLEY_MAX_SOCKETS_PER_IP: "1000000",
      PARLEY_MAX_SOCKETS_PER_USER: "1000000",
      PARLEY_USER_CONNECTS_PER_MINUTE: "1000000",
      PARLEY_IP_CONNECTS_PER_MINUTE: "1000000",
      PARLEY_RATE_PER_SECOND: "1000000",
      PARLEY_RATE_BURST: "1000000",
      // The scenarios' clients do not retry a refused upgrade; the storm,
      // whose clients back off as the web client does, sets SHEDDING.
      PARLEY_MAX_PENDING_CONNECTS: "1000000",
      PARLEY_SHED_LAG_MS: "1000000",
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      ...env,
    },
    ready: ready ? () => ready(port) : () => answers(`http://127.0.0.1:${port}/sign-in`),
  });
}

/** Connect shedding as production has it by default (src/env.ts), for the storm. */
export const SHEDDING: Record<string, string> = {
  PARLEY_MAX_PENDING_CONNECTS: "100",
  PARLEY_SHED_LAG_MS: "300",
};

/** Runs `task` over 0..count-1 with at most `limit` in flight. */
export async function pool<T>(count: number, limit: number, task: (i: number) => Promise<T>) {
  const results: T[] = new Array(count);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < count; i = next++) results[i] = await task(i);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, lane));
  return results;
}

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, httpReady, supervise } from "../../scripts/lib/supervisor.ts";

export { freePort };

/** The variables every test server gets: its port on loopback, its own data, a fixed secret. */
export function baseServerEnv(port: number, dataDir: string): Record<string, string> {
  return {
    PORT: String(port),
    HOST: "127.0.0.1",
    PARLEY_DATA_DIR: dataDir,
    DATABASE_URL: join(dataDir, "parley.db"),
    BETTER_AUTH_SECRET: "test-secret-test-secret-test-secret-0123",
    LOG_LEVEL: "warn",
  };
}

export type RunningServer = {
  url: string;
  /** The server process's pid (changes on restart). */
  readonly pid: number | undefined;
  port: number;
  dataDir: string;
  /** Everything the process printed so far (stdout and stderr). */
  output: () => string;
  /** SIGTERM and wait for exit. */
  stop: () => Promise<void>;
  /** SIGKILL and wait for exit. */
  kill: () => Promise<void>;
  /** Starts the same server again (same port and data) after stop or kill. */
  restart: () => Promise<void>;
};

/**
 * The abuse limits lifted: every test client comes from 127.0.0.1 and sends
 * in bursts, and each limit has tests of its own that set low values.
 */
export const LIFTED_LIMITS: Record<string, string> = {
  PARLEY_AUTH_ATTEMPTS_PER_MINUTE: "10000",
  PARLEY_RATE_PER_SECOND: "100000",
  PARLEY_RATE_BURST: "100000",
  PARLEY_MAX_SOCKETS_PER_IP: "100000",
  PARLEY_USER_CONNECTS_PER_MINUTE: "100000",
  PARLEY_IP_CONNECTS_PER_MINUTE: "100000",
  PARLEY_ROOMS_PER_HOUR: "100000",
  PARLEY_DMS_PER_HOUR: "100000",
  PARLEY_INVITES_PER_HOUR: "100000",
  PARLEY_SEARCHES_PER_SECOND: "100000",
  PARLEY_PAGES_PER_SECOND: "100000",
  // Test clients open sockets in bursts without retrying a 503; shedding
  // has its own tests (connect-shedding.test.ts).
  PARLEY_MAX_PENDING_CONNECTS: "100000",
  PARLEY_SHED_LAG_MS: "100000",
};

/**
 * Starts the built production server (`.output/server/index.mjs`) on a random
 * port with its own data folder, and waits until it answers HTTP.
 */
export async function startServer(
  options: {
    dataDir?: string;
    env?: Record<string, string>;
    /** A port chosen beforehand (a test OpenID Provider must know the redirect URI first). */
    port?: number;
  } = {},
): Promise<RunningServer> {
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "parley-test-"));
  const url = `http://127.0.0.1:${port}`;
  const server = supervise({
    name: `test server on port ${port}`,
    args: [".output/server/index.mjs"],
    env: {
      ...process.env,
      ...baseServerEnv(port, dataDir),
      // Run as production does (vitest sets NODE_ENV=test, which relaxes
      // better-auth's origin checks), with room for many test sign-ups.
      NODE_ENV: "production",
      ...LIFTED_LIMITS,
      ...options.env,
    },
    // Tests read the whole log of the current run.
    keepOutput: Number.POSITIVE_INFINITY,
    ready: httpReady(`${url}/sign-in`, { timeoutMs: 20_000 }),
  });

  await server.start();
  return {
    url,
    get pid() {
      return server.pid;
    },
    port,
    dataDir,
    output: server.output,
    stop: () => server.stop(),
    kill: server.kill,
    restart: server.start,
  };
}

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A free TCP port on loopback, picked by the OS. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

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
 * Starts the built production server (`.output/server/index.mjs`) on a random
 * port with its own data folder, and waits until it answers HTTP.
 */
export async function startServer(
  options: { dataDir?: string; env?: Record<string, string> } = {},
): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "parley-test-"));
  let child: ChildProcess | undefined;
  let log = "";
  const url = `http://127.0.0.1:${port}`;

  const launch = async () => {
    log = "";
    const proc = spawn(process.execPath, [".output/server/index.mjs"], {
      env: {
        ...process.env,
        ...baseServerEnv(port, dataDir),
        // Run as production does (vitest sets NODE_ENV=test, which relaxes
        // better-auth's origin checks), with room for many test sign-ups.
        NODE_ENV: "production",
        PARLEY_AUTH_ATTEMPTS_PER_MINUTE: "10000",
        // Tests send in bursts from one address; limits have their own tests.
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
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = proc;
    proc.stdout?.on("data", (chunk) => {
      log += chunk;
    });
    proc.stderr?.on("data", (chunk) => {
      log += chunk;
    });
    await waitForHttp(url, proc, () => log);
  };

  const waitExit = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once("exit", () => resolve());
      proc.kill(signal);
    });

  await launch();
  return {
    url,
    get pid() {
      return child?.pid;
    },
    port,
    dataDir,
    output: () => log,
    stop: () => waitExit("SIGTERM"),
    kill: () => waitExit("SIGKILL"),
    restart: launch,
  };
}

async function waitForHttp(url: string, proc: ChildProcess, output: () => string) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) {
      throw new Error(`server exited with ${proc.exitCode}:\n${output()}`);
    }
    try {
      const response = await fetch(`${url}/sign-in`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  proc.kill("SIGKILL");
  throw new Error(`server did not answer within 20 s:\n${output()}`);
}

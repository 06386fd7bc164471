// One child-process supervisor for everything that runs servers as child
// processes: the test servers (test/helpers/server.ts), `npm run cluster`
// and the chaos test (scripts/lib/cluster.ts), and the bench
// (bench/lib/proc.ts). It spawns with an environment, keeps the output,
// waits until the child is ready (usually an HTTP check), stops it politely
// (SIGTERM, then SIGKILL after a deadline), kills it, restarts it, and names
// the child when it exits without being asked to.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A free TCP port on loopback, picked by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export type ExitListener = (code: number | null, signal: NodeJS.Signals | null) => void;

/** A supervised child process. `start` (or `restart`) spawns it; the rest act on the current one. */
export type Supervised = {
  readonly name: string;
  /** The current process's pid (a new one after each start); undefined before the first. */
  readonly pid: number | undefined;
  /** True from spawn until the process exits. */
  readonly running: boolean;
  /** What the current process printed (stdout and stderr), up to `keepOutput` characters. */
  output: () => string;
  /** The name, the pid and the last output: for error messages. */
  describe: () => string;
  /** Spawns the process and waits until it is ready; kills it and throws when it is not. */
  start: () => Promise<void>;
  /** Stops the current process (if any) and starts it again. */
  restart: () => Promise<void>;
  /** Sends a signal as is (SIGSTOP, SIGCONT...); an exit it causes counts as expected. */
  signal: (signal: NodeJS.Signals) => void;
  /** SIGKILL and wait for the exit. */
  kill: () => Promise<void>;
  /** The stop signal, then SIGKILL after `timeoutMs`; waits for the exit. */
  stop: (timeoutMs?: number) => Promise<void>;
  /** Called when the process exits without start, stop, kill or signal asking it to. */
  onUnexpectedExit: (listener: ExitListener) => void;
};

export type SuperviseOptions = {
  /** Names the process in errors and unexpected-exit reports. */
  name: string;
  /** The program; this process's Node when omitted. */
  command?: string;
  args: string[];
  /** The whole environment of the child (callers merge process.env in themselves). */
  env?: NodeJS.ProcessEnv;
  /** Each complete line of output, e.g. to print it with a prefix. */
  onLine?: (line: string) => void;
  /** Own process group, so a terminal's Ctrl-C reaches only the parent. */
  detached?: boolean;
  /** The polite signal of `stop` (SIGTERM unless the program wants another). */
  stopSignal?: NodeJS.Signals;
  /** How long `stop` waits before SIGKILL, unless told otherwise (12 s). */
  stopTimeoutMs?: number;
  /** Characters of output kept, the newest (20 000; Infinity keeps all). */
  keepOutput?: number;
  /** Resolves once the freshly spawned process is ready (see `httpReady`). */
  ready?: (proc: Supervised) => Promise<void>;
};

export function supervise(options: SuperviseOptions): Supervised {
  const keep = options.keepOutput ?? 20_000;
  let child: ChildProcess | undefined;
  let log = "";
  let expected = false;
  const listeners: ExitListener[] = [];

  const exited = (proc: ChildProcess | undefined) =>
    !proc || proc.exitCode !== null || proc.signalCode !== null;
  const waitExit = (proc: ChildProcess | undefined) =>
    new Promise<void>((resolve) => {
      if (exited(proc)) return resolve();
      proc?.once("exit", () => resolve());
    });

  const launch = () => {
    expected = false;
    log = "";
    const proc = spawn(options.command ?? process.execPath, options.args, {
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: options.detached ?? false,
    });
    child = proc;
    let partial = "";
    const take = (chunk: Buffer) => {
      if (child !== proc) return;
      log = keep === Number.POSITIVE_INFINITY ? log + chunk : (log + chunk).slice(-keep);
      if (!options.onLine) return;
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) options.onLine(line);
    };
    proc.stdout?.on("data", take);
    proc.stderr?.on("data", take);
    proc.once("error", (error) => {
      log += `\n${error.message}`;
    });
    proc.once("exit", (code, signal) => {
      if (child !== proc || expected) return;
      for (const listener of listeners) listener(code, signal);
    });
  };

  const kill = async () => {
    const proc = child;
    expected = true;
    proc?.kill("SIGKILL");
    await waitExit(proc);
  };

  const stop = async (timeoutMs = options.stopTimeoutMs ?? 12_000) => {
    const proc = child;
    if (exited(proc)) return;
    expected = true;
    proc?.kill(options.stopSignal ?? "SIGTERM");
    // A stopped (SIGSTOP) process never sees the signal until it continues.
    proc?.kill("SIGCONT");
    const timer = setTimeout(() => proc?.kill("SIGKILL"), timeoutMs);
    await waitExit(proc);
    clearTimeout(timer);
  };

  const supervised: Supervised = {
    name: options.name,
    get pid() {
      return child?.pid;
    },
    get running() {
      return child !== undefined && !exited(child);
    },
    output: () => log,
    describe: () => `${options.name} (pid ${child?.pid ?? "none"}); its output:\n${log}`,
    async start() {
      launch();
      try {
        await options.ready?.(supervised);
      } catch (error) {
        await kill();
        throw error;
      }
    },
    async restart() {
      await stop();
      await supervised.start();
    },
    signal(signal) {
      expected = true;
      child?.kill(signal);
    },
    kill,
    stop,
    onUnexpectedExit(listener) {
      listeners.push(listener);
    },
  };
  return supervised;
}

/**
 * A `ready` check that polls `url` over HTTP every 100 ms until `accept`
 * takes the status (200-299 unless told), and fails when the process exits
 * first or `timeoutMs` passes.
 */
export function httpReady(
  url: string,
  options: { accept?: (status: number) => boolean; timeoutMs?: number } = {},
): (proc: Supervised) => Promise<void> {
  const accept = options.accept ?? ((status) => status >= 200 && status < 300);
  const timeoutMs = options.timeoutMs ?? 30_000;
  return async (proc) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!proc.running) throw new Error(`exited before it was ready: ${proc.describe()}`);
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        await response.body?.cancel();
        if (accept(response.status)) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        throw new Error(`not ready within ${timeoutMs} ms (${url}): ${proc.describe()}`);
      }
      await sleep(100);
    }
  };
}

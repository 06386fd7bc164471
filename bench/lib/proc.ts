// Process plumbing shared by the harness and the guard test: start a server
// process (on the supervisor of scripts/lib/supervisor.ts), wait for it,
// read its CPU time and memory from /proc, stop it.
import { readFileSync } from "node:fs";
import { freePort, supervise } from "../../scripts/lib/supervisor.ts";

export { freePort };

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export type ServerProcess = {
  name: string;
  port: number;
  pid: number;
  output: () => string;
  /** SIGTERM, then SIGKILL after 5 s; resolves on exit. */
  stop: () => Promise<void>;
};

/**
 * Spawns `node <args>` with this process's Node (24 under `npm run bench`,
 * which strips the types of the .ts baselines), then polls `ready` until the
 * server answers, so the caller never races the listen.
 */
export async function startProcess(options: {
  name: string;
  port: number;
  args: string[];
  env?: Record<string, string>;
  ready: () => Promise<boolean>;
  timeoutMs?: number;
}): Promise<ServerProcess> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const server = supervise({
    name: options.name,
    args: options.args,
    env: { ...process.env, ...options.env },
    stopTimeoutMs: 5_000,
    // Keep only the tail: a chatty server must not grow the harness's heap.
    keepOutput: 20_000,
    async ready(proc) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (!proc.running) throw new Error(`${options.name} exited early:\n${proc.output()}`);
        if (await options.ready().catch(() => false)) return;
        if (Date.now() > deadline)
          throw new Error(`${options.name} did not start:\n${proc.output()}`);
        await sleep(100);
      }
    },
  });
  await server.start();
  const { pid } = server;
  if (!pid) throw new Error(`${options.name} has no pid`);
  return {
    name: options.name,
    port: options.port,
    pid,
    output: server.output,
    stop: () => server.stop(),
  };
}

/** True once an HTTP GET of `url` answers at all (any status). */
export async function answers(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  await response.body?.cancel();
  return true;
}

// /proc/<pid>/stat counts CPU in clock ticks; Linux exposes USER_HZ = 100
// to user space on every architecture we run on.
const TICK_US = 10_000;

/** User and system CPU time the process has used so far, in microseconds. */
export function cpuTimes(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may contain spaces: split after its ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state), so utime (14) and stime (15) sit at 11 and 12.
  return { user: Number(fields[11]) * TICK_US, system: Number(fields[12]) * TICK_US };
}

/** User + system CPU time the process has used so far, in microseconds. */
export function cpuMicros(pid: number): number {
  const { user, system } = cpuTimes(pid);
  return user + system;
}

/** Resident set size of the process in KiB (VmRSS), or peak RSS with `peak`. */
export function rssKiB(pid: number, peak = false): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = status.match(peak ? /^VmHWM:\s+(\d+)/m : /^VmRSS:\s+(\d+)/m);
  return match ? Number(match[1]) : Number.NaN;
}

/** Measures the CPU a process spends while `during` runs. */
export async function cpuDuring<T>(
  pid: number,
  during: () => Promise<T>,
): Promise<{ result: T; cpuUs: number }> {
  const before = cpuMicros(pid);
  const result = await during();
  return { result, cpuUs: cpuMicros(pid) - before };
}

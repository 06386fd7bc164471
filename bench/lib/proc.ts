// Process plumbing shared by the harness and the guard test: start a server
// process, wait for it, read its CPU time and memory from /proc, stop it.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";

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

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export type ServerProcess = {
  name: string;
  port: number;
  pid: number;
  child: ChildProcess;
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
  const child = spawn(process.execPath, options.args, {
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  // Keep only the tail: a chatty server must not grow the harness's heap.
  const keep = (chunk: Buffer) => {
    log = (log + chunk).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${options.name} exited early:\n${log}`);
    if (await options.ready().catch(() => false)) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${options.name} did not start:\n${log}`);
    }
    await sleep(100);
  }
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };
  if (!child.pid) throw new Error(`${options.name} has no pid`);
  return { name: options.name, port: options.port, pid: child.pid, child, output: () => log, stop };
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

// The harness's handle on storm-client processes (bench/loadgen/storm-client.ts):
// forks them, spreads the clients round-robin, and sums what they count.
import { type ChildProcess, fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { StormRequest, StormStats } from "../loadgen/storm-client.ts";

const WORKER = fileURLToPath(new URL("../loadgen/storm-client.ts", import.meta.url));

type Pending = Map<number, (reply: { error?: string; stats?: StormStats }) => void>;

export class StormClients {
  #workers: { child: ChildProcess; pending: Pending }[] = [];
  #next = 0;
  /** Global client index -> [worker, local index]. */
  #where: [number, number][] = [];

  constructor(count: number) {
    for (let i = 0; i < Math.max(1, count); i++) {
      const child = fork(WORKER, [], {
        execArgv: [],
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
      const pending: Pending = new Map();
      child.on("message", (reply: { id: number; error?: string; stats?: StormStats }) => {
        pending.get(reply.id)?.(reply);
        pending.delete(reply.id);
      });
      child.on("exit", (code) => {
        for (const resolve of pending.values()) resolve({ error: `storm client exited ${code}` });
      });
      this.#workers.push({ child, pending });
    }
  }

  get pids(): number[] {
    return this.#workers.flatMap(({ child }) => (child.pid ? [child.pid] : []));
  }

  #ask(worker: number, request: StormRequest) {
    const target = this.#workers[worker];
    if (!target) throw new Error(`no storm worker ${worker}`);
    const id = this.#next++;
    return new Promise<{ stats?: StormStats }>((resolve, reject) => {
      target.pending.set(id, (reply) =>
        reply.error ? reject(new Error(reply.error)) : resolve(reply),
      );
      target.child.send({ ...request, id });
    });
  }

  /** Opens every client (each worker `concurrency` at a time); resolves once all opened. */
  async open(base: string, cookies: string[], slug: string, concurrency = 50, parked = false) {
    const split: string[][] = this.#workers.map(() => []);
    cookies.forEach((cookie, i) => {
      const worker = i % this.#workers.length;
      const local = split[worker]?.length ?? 0;
      this.#where.push([worker, local]);
      split[worker]?.push(cookie);
    });
    await Promise.all(
      split.map((list, w) =>
        this.#ask(w, { op: "open", base, cookies: list, slug, concurrency, parked }),
      ),
    );
  }

  /** Every worker's counters, summed (per-client times concatenated). */
  async stats(): Promise<StormStats> {
    const all = await Promise.all(
      this.#workers.map(async (_, w) => (await this.#ask(w, { op: "stats" })).stats),
    );
    const sum = (pick: (s: StormStats) => number) =>
      all.reduce((total, s) => total + (s ? pick(s) : 0), 0);
    const max = (pick: (s: StormStats) => number) =>
      Math.max(0, ...all.map((s) => (s ? pick(s) : 0)));
    return {
      clients: sum((s) => s.clients),
      resumed: sum((s) => s.resumed),
      lastResumedAt: max((s) => s.lastResumedAt),
      lastOpenedAt: max((s) => s.lastOpenedAt),
      openedAt: all.flatMap((s) => s?.openedAt ?? []),
      resumedAt: all.flatMap((s) => s?.resumedAt ?? []),
      presenceFrames: sum((s) => s.presenceFrames),
      membersFrames: sum((s) => s.membersFrames),
      bytes: sum((s) => s.bytes),
      frames: sum((s) => s.frames),
      messages: sum((s) => s.messages),
      attempts: sum((s) => s.attempts),
      errors: all.flatMap((s) => s?.errors ?? []).slice(0, 10),
      cpuUs: sum((s) => s.cpuUs),
      rssKiB: sum((s) => s.rssKiB),
      latencies: all.flatMap((s) => s?.latencies ?? []),
    };
  }

  /** Parks (closes, no reconnect) or brings back clients by global index. */
  async churn(indexes: number[], up: boolean) {
    const byWorker = this.#workers.map(() => [] as number[]);
    for (const index of indexes) {
      const where = this.#where[index];
      if (where) byWorker[where[0]]?.push(where[1]);
    }
    await Promise.all(
      byWorker.map((list, w) =>
        list.length > 0 ? this.#ask(w, { op: "churn", indexes: list, up }) : undefined,
      ),
    );
  }

  /** Client `index` sends one timed message to its room. */
  async send(index: number) {
    const where = this.#where[index];
    if (where) await this.#ask(where[0], { op: "send", index: where[1] });
  }

  async stop() {
    await Promise.all(this.#workers.map((_, w) => this.#ask(w, { op: "close" }).catch(() => {})));
    for (const { child } of this.#workers) child.kill();
  }
}

/** Polls `stats` until `done` holds or `timeoutMs` passes; returns the last stats. */
export async function until(
  clients: StormClients,
  done: (stats: StormStats) => boolean,
  timeoutMs: number,
): Promise<{ stats: StormStats; timedOut: boolean }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stats = await clients.stats();
    if (done(stats)) return { stats, timedOut: false };
    if (Date.now() > deadline) return { stats, timedOut: true };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The open-files limit this process (and so the server and the clients it
 * starts) runs under, from /proc/self/limits; Infinity when unknown.
 */
export function openFilesLimit(): number {
  try {
    const limits = readFileSync("/proc/self/limits", "utf8");
    const soft = /^Max open files\s+(\S+)/m.exec(limits)?.[1];
    return soft === undefined || soft === "unlimited" ? Number.POSITIVE_INFINITY : Number(soft);
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/**
 * Refuses a run the file limit cannot hold, before minutes of setup: the
 * server holds a socket per client, each client process its share.
 */
export function checkOpenFiles(clients: number, workers: number): void {
  const limit = openFilesLimit();
  const server = clients + 1_000;
  const perWorker = Math.ceil(clients / Math.max(1, workers)) + 200;
  if (limit < Math.max(server, perWorker)) {
    throw new Error(
      `${clients} clients need an open-files limit of at least ${server} (ulimit -n is ${limit}): raise it, or run fewer`,
    );
  }
}

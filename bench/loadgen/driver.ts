// The harness's handle on its load-generator processes: forks them, spreads
// connections across them, and merges what they measured.
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Histogram } from "../lib/stats.ts";
import type { ConnSpec, Kind, Reply, Request } from "./protocol.ts";

const WORKER = fileURLToPath(new URL("./worker.ts", import.meta.url));

type Worker = { child: ChildProcess; pending: Map<number, (reply: Reply) => void> };
type Spread = { worker: number; local: number };
type ReplyOf<K extends Reply["op"]> = Extract<Reply, { op: K }>;

export type RunResult = {
  sent: number;
  /** Sending stopped early: the system fell far behind. */
  aborted: boolean;
  latency: Histogram;
  ack: Histogram;
  ackSpanMs: number;
  errors: string[];
};

export class LoadGen {
  #workers: Worker[] = [];
  #where: Spread[] = [];
  #counts: number[] = [];
  #next = 0;

  /** Forks `count` workers with this process's Node (24: it strips the .ts types). */
  static start(count: number): LoadGen {
    const gen = new LoadGen();
    for (let i = 0; i < count; i++) {
      // No inherited execArgv: under vitest they would carry its loaders along.
      const child = fork(WORKER, [], {
        execArgv: [],
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
      const worker: Worker = { child, pending: new Map() };
      child.on("message", (reply: Reply & { id: number }) => {
        const resolve = worker.pending.get(reply.id);
        worker.pending.delete(reply.id);
        resolve?.(reply);
      });
      child.on("exit", (code) => {
        for (const resolve of worker.pending.values())
          resolve({ op: "error", message: `worker exited with ${code}` } as never);
      });
      gen.#workers.push(worker);
      gen.#counts.push(0);
    }
    return gen;
  }

  get size() {
    return this.#where.length;
  }

  /** The workers' pids, to read their CPU time: a saturated client caps what is measured. */
  get pids(): number[] {
    return this.#workers.flatMap(({ child }) => (child.pid ? [child.pid] : []));
  }

  #ask<K extends Reply["op"]>(worker: number, req: Request): Promise<ReplyOf<K>> {
    const target = this.#workers[worker];
    if (!target) throw new Error(`no worker ${worker}`);
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      target.pending.set(id, (reply) => {
        if ((reply.op as string) === "error")
          reject(new Error((reply as never as { message: string }).message));
        else resolve(reply as ReplyOf<K>);
      });
      target.child.send({ ...req, id });
    });
  }

  /** The same request (per worker) to every worker at once. */
  #all<K extends Reply["op"]>(req: (worker: number) => Request): Promise<ReplyOf<K>[]> {
    return Promise.all(this.#workers.map((_, worker) => this.#ask<K>(worker, req(worker))));
  }

  #at(conn: number): Spread {
    const spread = this.#where[conn];
    if (!spread) throw new Error(`no connection ${conn}`);
    return spread;
  }

  /** Opens connections round-robin over the workers; their global indexes continue from `size`. */
  async open(kind: Kind, base: string, specs: ConnSpec[], concurrency = 50) {
    const perWorker: ConnSpec[][] = this.#workers.map(() => []);
    for (const spec of specs) {
      const worker = this.#where.length % this.#workers.length;
      const local = this.#counts[worker] ?? 0;
      this.#counts[worker] = local + 1;
      this.#where.push({ worker, local });
      perWorker[worker]?.push(spec);
    }
    const replies = await Promise.all(
      perWorker.map((conns, worker) =>
        this.#ask<"open">(worker, { op: "open", kind, base, conns, concurrency }),
      ),
    );
    return {
      opened: replies.reduce((sum, r) => sum + r.opened, 0),
      failures: replies.flatMap((r) => r.failures),
      retried: replies.reduce((sum, r) => sum + r.retried, 0),
      ms: Math.max(...replies.map((r) => r.ms)),
    };
  }

  /**
   * One timed step on every worker at once; `senders` are global connection
   * indexes. After the sends it waits until every expected delivery and ack
   * has arrived, or `drainMs` at most (an overloaded server falls behind).
   */
  async run(options: {
    step: number;
    seconds: number;
    drainMs: number;
    abortMs: number;
    perSecond: number;
    textChars: number;
    senders: { conn: number; slug: string }[];
    /** Deliveries each message should make (other members online). */
    receiversPerMessage: number;
  }): Promise<RunResult> {
    const { drainMs, receiversPerMessage, ...request } = options;
    const bySender = this.#workers.map(() => [] as { conn: number; slug: string }[]);
    for (const { conn, slug } of options.senders) {
      const { worker, local } = this.#at(conn);
      bySender[worker]?.push({ conn: local, slug });
    }
    const all = this.#all.bind(this);
    const runs = await all<"run">((w) => ({ op: "run", ...request, senders: bySender[w] ?? [] }));
    const sent = runs.reduce((sum, r) => sum + r.sent, 0);
    const deadline = Date.now() + drainMs;
    while (Date.now() < deadline) {
      const counts = await all<"count">(() => ({ op: "count", step: options.step }));
      const delivered = counts.reduce((sum, c) => sum + c.delivered, 0);
      const acked = counts.reduce((sum, c) => sum + c.acked, 0);
      if (delivered >= sent * receiversPerMessage && acked >= sent) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const replies = await all<"collect">(() => ({ op: "collect", step: options.step }));
    await this.#quiet();
    return {
      sent,
      aborted: runs.some((r) => r.aborted),
      latency: replies.reduce((h, r) => h.merge(r.latency), new Histogram()),
      ack: replies.reduce((h, r) => h.merge(r.ack), new Histogram()),
      ackSpanMs: Math.max(...replies.map((r) => r.ackSpanMs)),
      errors: replies.flatMap((r) => r.errors),
    };
  }

  /**
   * Waits until no frame at all arrives for 500 ms (20 s at most): a server
   * that fell behind keeps delivering the old step's messages, and the next
   * step must not start on top of that backlog.
   */
  async #quiet() {
    const frames = async () =>
      (await this.#all<"frames">(() => ({ op: "frames" }))).reduce((sum, r) => sum + r.count, 0);
    const deadline = Date.now() + 20_000;
    let last = await frames();
    let stableSince = Date.now();
    while (Date.now() < deadline && Date.now() - stableSince < 500) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const now = await frames();
      if (now !== last) {
        last = now;
        stableSince = Date.now();
      }
    }
  }

  /** Closed-loop sends on one connection; resolves with the time and ack latencies. */
  async blast(
    conn: number,
    options: { step: number; slug: string; count: number; window: number; textChars: number },
  ) {
    const { worker, local } = this.#at(conn);
    const reply = await this.#ask<"blast">(worker, { op: "blast", conn: local, ...options });
    return { ms: reply.ms, ack: Histogram.from(reply.ack) };
  }

  /** Subscribes one connection with `afterSeq` and times the replay to `done`. */
  async replay(conn: number, slug: string, afterSeq: number) {
    const { worker, local } = this.#at(conn);
    return this.#ask<"replay">(worker, { op: "replay", conn: local, slug, afterSeq });
  }

  /** Closes every connection; the workers stay for the next system. */
  async closeAll() {
    await Promise.all(
      this.#workers.map((_, worker) => this.#ask<"close">(worker, { op: "close" })),
    );
    this.#where = [];
    this.#counts = this.#counts.map(() => 0);
  }

  stop() {
    for (const { child } of this.#workers) child.kill();
  }
}

// One measured step: send on a schedule, count deliveries, and read the
// server's CPU time and memory from /proc around it. Every scenario that
// sends builds on this, so all report the same figures the same way.

import type { Config } from "../lib/config.ts";
import { SLO } from "../lib/config.ts";
import type { EjabberdData } from "../lib/ejabberd.ts";
import type { Layout } from "../lib/layout.ts";
import { cpuMicros, cpuTimes, rssKiB } from "../lib/proc.ts";
import { summarise } from "../lib/stats.ts";
import type { ParleyData, RunningSystem, SystemName } from "../lib/systems.ts";
import { startSystem } from "../lib/systems.ts";
import type { LoadGen } from "../loadgen/driver.ts";

export type Context = {
  config: Config;
  layout: Layout;
  gen: LoadGen;
  parley: ParleyData | undefined;
  /** ejabberd's spool with every user registered, when it runs. */
  ejabberd?: EjabberdData;
  log: (line: string) => void;
};

/**
 * Starts a system (or uses `start`, for a variant such as Parley on
 * PostgreSQL), runs `body`, and always closes the connections and the server.
 */
export async function withSystem<T>(
  ctx: Context,
  name: SystemName,
  body: (system: RunningSystem) => Promise<T>,
  start?: () => Promise<RunningSystem>,
): Promise<T> {
  const system = start
    ? await start()
    : await startSystem(
        name,
        ctx.parley,
        name === "parley" ? ctx.config.parleyNodeArgs : [],
        ctx.ejabberd,
        ctx.config.ejabberdMam,
      );
  try {
    return await body(system);
  } finally {
    await ctx.gen.closeAll().catch(() => undefined);
    await system.server.stop();
  }
}

export type StepResult = {
  /** Messages per second offered (all senders together). */
  offered: number;
  sent: number;
  /** Deliveries expected: every message to every other connection in its room. */
  expected: number;
  delivered: number;
  deliveredRatio: number;
  deliveriesPerSec: number;
  p50: number;
  p99: number;
  max: number;
  ackP50: number;
  ackP99: number;
  acked: number;
  /** Acks per second over the span from the step's start to its last ack. */
  ackedPerSec: number;
  /** Server CPU (user + system) per delivered message, in microseconds. */
  cpuUsPerDelivery: number;
  /** The user-space part of it (JavaScript, GC, encoding); the rest is the kernel's TCP work. */
  userUsPerDelivery: number;
  /** Server CPU per acked send, in microseconds. */
  cpuUsPerAck: number;
  /** Server CPU use over the step and its drain, as % of one core. */
  cpuPct: number;
  /** The load generators' CPU, as % of one core: near 100% per worker, the client is the limit. */
  clientCpuPct: number;
  rssMiB: number;
  meetsSlo: boolean;
  /** Sending stopped early because deliveries fell over `abortMs` behind. */
  aborted: boolean;
  errors: string[];
};

let nextStep = 1;
/** Step ids are unique in a run: late frames of one step never count for another. */
export const nextStepId = () => nextStep++;

export async function measureStep(
  system: RunningSystem,
  gen: LoadGen,
  config: Config,
  options: {
    seconds: number;
    perSecond: number;
    senders: { conn: number; slug: string }[];
    /** Other connections in each sender's room (deliveries per message). */
    receiversPerMessage: number;
    /** Overrides the config's drain, e.g. for a server that must catch up. */
    drainMs?: number;
    /** Overrides the config's abortMs (a throughput test keeps sending). */
    abortMs?: number;
  },
): Promise<StepResult> {
  const pids = [system.server.pid, ...(system.extraPids ?? [])];
  const cpuNow = () =>
    pids.map(cpuTimes).reduce((a, b) => ({ user: a.user + b.user, system: a.system + b.system }));
  const before = cpuNow();
  const clientBefore = gen.pids.reduce((sum, p) => sum + cpuMicros(p), 0);
  const started = performance.now();
  const run = await gen.run({
    step: nextStepId(),
    seconds: options.seconds,
    drainMs: options.drainMs ?? config.drainMs,
    abortMs: options.abortMs ?? config.abortMs,
    perSecond: options.perSecond,
    textChars: config.textChars,
    senders: options.senders,
    receiversPerMessage: options.receiversPerMessage,
  });
  const after = cpuNow();
  const userUs = after.user - before.user;
  const cpuUs = userUs + after.system - before.system;
  const clientUs = gen.pids.reduce((sum, p) => sum + cpuMicros(p), 0) - clientBefore;
  const latency = summarise(run.latency);
  const ack = summarise(run.ack);
  const expected = run.sent * options.receiversPerMessage;
  const deliveredRatio = expected > 0 ? run.latency.n / expected : 1;
  const wallUs = (performance.now() - started) * 1000;
  return {
    offered: options.senders.length * options.perSecond,
    sent: run.sent,
    expected,
    delivered: run.latency.n,
    deliveredRatio,
    deliveriesPerSec: run.latency.n / options.seconds,
    p50: latency.p50,
    p99: latency.p99,
    max: latency.max,
    ackP50: ack.p50,
    ackP99: ack.p99,
    acked: ack.n,
    ackedPerSec: ack.n / Math.max(options.seconds, run.ackSpanMs / 1000),
    cpuUsPerDelivery: run.latency.n > 0 ? cpuUs / run.latency.n : Number.NaN,
    userUsPerDelivery: run.latency.n > 0 ? userUs / run.latency.n : Number.NaN,
    cpuUsPerAck: ack.n > 0 ? cpuUs / ack.n : Number.NaN,
    cpuPct: (100 * cpuUs) / wallUs,
    clientCpuPct: (100 * clientUs) / wallUs,
    rssMiB: pids.reduce((sum, p) => sum + rssKiB(p), 0) / 1024,
    meetsSlo:
      !run.aborted &&
      deliveredRatio >= SLO.delivered &&
      (expected === 0 || latency.p99 <= SLO.p99Ms),
    aborted: run.aborted,
    errors: run.errors,
  };
}

/** Opens connections and fails the scenario if any could not connect. */
export async function openAll(
  ctx: Context,
  system: RunningSystem,
  specs: Parameters<LoadGen["open"]>[2],
) {
  const kind = system.kind === "ws" ? ctx.config.client : system.kind;
  const opened = await ctx.gen.open(kind, system.base, specs);
  if (opened.retried > 0)
    ctx.log(
      `${system.name}: ${opened.retried} logins opened anew (no answer to the first <open/>)`,
    );
  if (opened.opened !== specs.length) {
    throw new Error(
      `${system.name}: ${opened.opened}/${specs.length} connections opened: ${opened.failures.join("; ")}`,
    );
  }
  return opened;
}

export const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

/** One line of progress, so a long run shows where it is. */
export const describeStep = (label: string, s: StepResult) =>
  `${label}: ${fmt(s.offered)} msg/s offered, ` +
  (s.expected > 0
    ? `${Math.round(s.deliveriesPerSec)} deliveries/s, ${(100 * s.deliveredRatio).toFixed(2)}% ` +
      `delivered, p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, ` +
      `${s.cpuUsPerDelivery.toFixed(2)} µs CPU/delivery, `
    : `${s.acked}/${s.sent} acked, ${Math.round(s.ackedPerSec)} acked/s, ack p50 ` +
      `${s.ackP50.toFixed(1)} ms, p99 ${s.ackP99.toFixed(1)} ms, ${s.cpuUsPerAck.toFixed(0)} µs CPU/ack, `) +
  `CPU ${s.cpuPct.toFixed(0)}%, client CPU ${s.clientCpuPct.toFixed(0)}%` +
  `${s.aborted ? " (fell over a second behind: sending stopped)" : ""}${s.meetsSlo ? "" : " (misses SLO)"}`;

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

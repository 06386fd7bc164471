// One measured step: send on a schedule, count deliveries, and read the
// server's CPU time and memory from /proc around it. Every scenario that
// sends builds on this, so all report the same figures the same way.

import type { Config } from "../lib/config.ts";
import { SLO } from "../lib/config.ts";
import { cpuMicros, rssKiB } from "../lib/proc.ts";
import { summarise } from "../lib/stats.ts";
import type { ParleyData, RunningSystem, SystemName } from "../lib/systems.ts";
import { startSystem } from "../lib/systems.ts";
import type { LoadGen } from "../loadgen/driver.ts";

export type Context = {
  config: Config;
  gen: LoadGen;
  parley: ParleyData | undefined;
  log: (line: string) => void;
};

/** Starts a system, runs `body`, and always closes the connections and the server. */
export async function withSystem<T>(
  ctx: Context,
  name: SystemName,
  body: (system: RunningSystem) => Promise<T>,
): Promise<T> {
  const system = await startSystem(
    name,
    ctx.parley,
    name === "parley" ? ctx.config.parleyNodeArgs : [],
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
  /** Server CPU (user + system) per delivered message, in microseconds. */
  cpuUsPerDelivery: number;
  /** Server CPU per acked send, in microseconds. */
  cpuUsPerAck: number;
  /** Server CPU use over the step and its drain, as % of one core. */
  cpuPct: number;
  rssMiB: number;
  meetsSlo: boolean;
  errors: string[];
};

let nextStep = 1;

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
  },
): Promise<StepResult> {
  const { pid } = system.server;
  const before = cpuMicros(pid);
  const run = await gen.run({
    step: nextStep++,
    seconds: options.seconds,
    drainMs: config.drainMs,
    perSecond: options.perSecond,
    textChars: config.textChars,
    senders: options.senders,
  });
  const cpuUs = cpuMicros(pid) - before;
  const latency = summarise(run.latency);
  const ack = summarise(run.ack);
  const expected = run.sent * options.receiversPerMessage;
  const deliveredRatio = expected > 0 ? run.latency.n / expected : 1;
  const wallUs = (options.seconds * 1000 + config.drainMs) * 1000;
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
    cpuUsPerDelivery: run.latency.n > 0 ? cpuUs / run.latency.n : Number.NaN,
    cpuUsPerAck: ack.n > 0 ? cpuUs / ack.n : Number.NaN,
    cpuPct: (100 * cpuUs) / wallUs,
    rssMiB: rssKiB(pid) / 1024,
    meetsSlo: deliveredRatio >= SLO.delivered && (expected === 0 || latency.p99 <= SLO.p99Ms),
    errors: run.errors,
  };
}

/** Opens connections and fails the scenario if any could not connect. */
export async function openAll(
  system: RunningSystem,
  gen: LoadGen,
  specs: Parameters<LoadGen["open"]>[2],
) {
  const opened = await gen.open(system.kind, system.base, specs);
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
  `${label}: ${s.offered} msg/s offered, ${Math.round(s.deliveriesPerSec)} deliveries/s, ` +
  `${(100 * s.deliveredRatio).toFixed(2)}% delivered, p50 ${s.p50.toFixed(1)} ms, ` +
  `p99 ${s.p99.toFixed(1)} ms, ${s.cpuUsPerDelivery.toFixed(2)} µs CPU/delivery, ` +
  `CPU ${s.cpuPct.toFixed(0)}%${s.meetsSlo ? "" : " (misses SLO)"}`;

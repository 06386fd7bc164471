// Warm-up and rounds around measureStep: an unmeasured step first, and
// headline figures as medians of several shorter steps.

import type { Config } from "../lib/config.ts";
import { SLO } from "../lib/config.ts";
import { median } from "../lib/stats.ts";
import type { RunningSystem } from "../lib/systems.ts";
import type { LoadGen } from "../loadgen/driver.ts";
import { measureStep, nextStepId, type StepResult } from "./measure.ts";

type Step = Parameters<typeof measureStep>[3];

/** An unmeasured step at the given load, so JIT warm-up does not land in the first figures. */
export async function warmUp(gen: LoadGen, config: Config, step: Step) {
  if (config.warmupSeconds <= 0) return;
  await gen.run({
    step: nextStepId(),
    seconds: config.warmupSeconds,
    drainMs: 2000,
    abortMs: config.abortMs,
    perSecond: step.perSecond,
    textChars: config.textChars,
    senders: step.senders,
    receiversPerMessage: step.receiversPerMessage,
  });
}

/**
 * `rounds` shorter steps instead of one, each figure the median of the
 * rounds: one stall of a busy machine then moves the figure by a round's
 * worth at most. Counts are summed, so delivery ratios stay exact.
 */
export async function measureRounds(
  system: RunningSystem,
  gen: LoadGen,
  config: Config,
  rounds: number,
  step: Step,
): Promise<StepResult & { rounds: number }> {
  const all: StepResult[] = [];
  const seconds = step.seconds / Math.max(1, rounds);
  for (let i = 0; i < Math.max(1, rounds); i++) {
    all.push(await measureStep(system, gen, config, { ...step, seconds }));
  }
  const mid = (pick: (s: StepResult) => number) => median(all.map(pick));
  const sum = (pick: (s: StepResult) => number) => all.reduce((total, s) => total + pick(s), 0);
  const expected = sum((s) => s.expected);
  const delivered = sum((s) => s.delivered);
  const deliveredRatio = expected > 0 ? delivered / expected : 1;
  const p99 = mid((s) => s.p99);
  return {
    offered: all[0]?.offered ?? 0,
    sent: sum((s) => s.sent),
    expected,
    delivered,
    deliveredRatio,
    deliveriesPerSec: mid((s) => s.deliveriesPerSec),
    p50: mid((s) => s.p50),
    p99,
    max: Math.max(...all.map((s) => s.max)),
    ackP50: mid((s) => s.ackP50),
    ackP99: mid((s) => s.ackP99),
    acked: sum((s) => s.acked),
    ackedPerSec: mid((s) => s.ackedPerSec),
    cpuUsPerDelivery: mid((s) => s.cpuUsPerDelivery),
    userUsPerDelivery: mid((s) => s.userUsPerDelivery),
    cpuUsPerAck: mid((s) => s.cpuUsPerAck),
    cpuPct: mid((s) => s.cpuPct),
    clientCpuPct: mid((s) => s.clientCpuPct),
    rssMiB: Math.max(...all.map((s) => s.rssMiB)),
    meetsSlo:
      all.every((s) => !s.aborted) &&
      deliveredRatio >= SLO.delivered &&
      (expected === 0 || p99 <= SLO.p99Ms),
    aborted: all.some((s) => s.aborted),
    errors: all.flatMap((s) => s.errors),
    rounds: all.length,
  };
}

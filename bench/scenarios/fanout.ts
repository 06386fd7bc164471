// Scenario 1, fan-out: one room with every connection in it, a fixed set of
// senders at 1 msg/s each, then the rate doubled step by step until the
// system misses the SLO (under 99.9% delivered or p99 over 100 ms): its knee.
import { sleep } from "../lib/proc.ts";
import type { SystemName } from "../lib/systems.ts";
import {
  type Context,
  describeStep,
  measureStep,
  openAll,
  range,
  type StepResult,
  withSystem,
} from "./measure.ts";

export type FanoutResult = {
  conns: number;
  senders: number;
  steps: StepResult[];
  /** The highest offered rate that met the SLO (msg/s), if any did. */
  kneeOffered: number | undefined;
  kneeDeliveriesPerSec: number | undefined;
  /** True when even the last step met the SLO: the knee is above what was tried. */
  kneeAbove: boolean;
};

export function fanout(ctx: Context, name: SystemName): Promise<FanoutResult> {
  const { conns, senders, rate, firstSeconds, stepSeconds, maxSteps } = ctx.config.fanout;
  return withSystem(ctx, name, async (system) => {
    const opened = await openAll(
      system,
      ctx.gen,
      system.specs(range(conns), () => ["general"]),
    );
    ctx.log(`${name} fan-out: ${conns} connections in ${Math.round(opened.ms)} ms`);
    // Let the connect-time work (Parley announces each arrival) finish first.
    await sleep(1000);
    const steps: StepResult[] = [];
    for (let i = 0; i < maxSteps; i++) {
      const step = await measureStep(system, ctx.gen, ctx.config, {
        seconds: i === 0 ? firstSeconds : stepSeconds,
        perSecond: rate * 2 ** i,
        senders: range(Math.min(senders, conns)).map((conn) => ({ conn, slug: "general" })),
        receiversPerMessage: conns - 1,
      });
      ctx.log(describeStep(`${name} fan-out step ${i + 1}`, step));
      steps.push(step);
      if (!step.meetsSlo) break;
    }
    const passed = steps.filter((s) => s.meetsSlo).at(-1);
    return {
      conns,
      senders,
      steps,
      kneeOffered: passed?.offered,
      kneeDeliveriesPerSec: passed?.deliveriesPerSec,
      kneeAbove: steps.at(-1)?.meetsSlo ?? false,
    };
  });
}

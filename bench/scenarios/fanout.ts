// Scenario 1, fan-out: one room with every connection in it, a fixed set of
// senders at 1 msg/s each, then the rate doubled step by step until the
// system misses the SLO (under 99.9% delivered or p99 over 100 ms): its knee.
// The steps are kept in order of offered rate; "first" is the headline step.
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
import { measureRounds, warmUp } from "./rounds.ts";

export type FanoutResult = {
  conns: number;
  senders: number;
  /** Time to open every connection (Parley announces each arrival to the room). */
  connectMs: number;
  /** The first (headline) step, measured as medians of rounds. */
  first: StepResult;
  /** Every step, by offered rate. */
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
      ctx,
      system,
      system.specs(range(conns), () => ["general"]),
    );
    ctx.log(`${name} fan-out: ${conns} connections in ${Math.round(opened.ms)} ms`);
    // Let the connect-time work (Parley announces each arrival) finish first.
    await sleep(1000);
    const load = (i: number) => ({
      seconds: i === 0 ? firstSeconds : stepSeconds,
      perSecond: rate * 2 ** i,
      senders: range(Math.min(senders, conns)).map((conn) => ({ conn, slug: "general" })),
      receiversPerMessage: conns - 1,
    });
    await warmUp(ctx.gen, ctx.config, load(0));
    // The first step is the headline figure: medians of rounds. The others
    // only bracket the knee, one round each: up while the SLO holds, or down
    // (halving) when even the first step missed it.
    const first = await measureRounds(system, ctx.gen, ctx.config, ctx.config.rounds, load(0));
    ctx.log(describeStep(`${name} fan-out step 1`, first));
    const steps: StepResult[] = [first];
    const direction = first.meetsSlo ? 1 : -1;
    let bracket: number | undefined;
    for (let i = 1; i < maxSteps; i++) {
      const step = await measureStep(system, ctx.gen, ctx.config, load(direction * i));
      ctx.log(describeStep(`${name} fan-out step ${i + 1}`, step));
      steps.push(step);
      if (step.meetsSlo !== first.meetsSlo) {
        bracket = direction > 0 ? i - 1 : -i;
        break;
      }
    }
    if (bracket !== undefined) {
      // One more step halfway (x1.41) between the last rate that held and
      // the first that did not: the knee to within a factor of 1.41, not 2.
      const step = await measureStep(system, ctx.gen, ctx.config, load(bracket + 0.5));
      ctx.log(describeStep(`${name} fan-out between`, step));
      steps.push(step);
    }
    steps.sort((a, b) => a.offered - b.offered);
    const passed = steps.filter((s) => s.meetsSlo).at(-1);
    return {
      conns,
      senders,
      connectMs: opened.ms,
      first,
      steps,
      kneeOffered: passed?.offered,
      kneeDeliveriesPerSec: passed?.deliveriesPerSec,
      kneeAbove: steps.at(-1)?.meetsSlo ?? false,
    };
  });
}

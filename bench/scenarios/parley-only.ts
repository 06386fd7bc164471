// Scenarios only Parley has: persistence (acks are sent after the SQLite
// commit, so acked messages/s is the store's throughput) and resume (a
// client back from a gap replays it from the database).
import { RESUME_ROOM } from "../lib/layout.ts";
import { cpuDuring, sleep } from "../lib/proc.ts";
import { summarise } from "../lib/stats.ts";
import {
  type Context,
  describeStep,
  measureStep,
  openAll,
  range,
  type StepResult,
  warmUp,
  withSystem,
} from "./measure.ts";

export type PersistResult = { senders: number; step: StepResult; ackedPerSec: number };

/**
 * Each sender writes to a room of its own, so the figure is storage and
 * acks, not fan-out: the only other frame per message is the author's `read`.
 */
export function persist(ctx: Context): Promise<PersistResult> {
  const { senders, rate, seconds } = ctx.config.persist;
  return withSystem(ctx, "parley", async (system) => {
    await openAll(
      ctx,
      system,
      system.specs(range(senders), (i) => [`p-${i}`]),
    );
    await sleep(500);
    const load = {
      seconds,
      perSecond: rate / senders,
      senders: range(senders).map((conn) => ({ conn, slug: `p-${conn}` })),
      receiversPerMessage: 0,
      // One long step, not rounds: if the store falls behind, the backlog
      // must drain before the acks stop, and throughput is acks over that span.
      drainMs: 5000,
    };
    await warmUp(ctx.gen, ctx.config, load);
    const step = await measureStep(system, ctx.gen, ctx.config, load);
    ctx.log(
      `${describeStep("parley persistence", step)}; ${step.acked} acked, ` +
        `ack p50 ${step.ackP50.toFixed(1)} ms, p99 ${step.ackP99.toFixed(1)} ms`,
    );
    return { senders, step, ackedPerSec: step.ackedPerSec };
  });
}

export type ResumeResult = {
  gap: number;
  /** Closed loop on one socket while seeding the gap: acked messages/s. */
  seedAckedPerSec: number;
  seedAckP99: number;
  replayMs: number;
  replayedMessages: number;
  historyFrames: number;
  replayMessagesPerSec: number;
  /** Server CPU per replayed message, in µs. */
  cpuUsPerReplayed: number;
};

/** User 0 writes the gap while user 1 is away; user 1 then subscribes with afterSeq 0. */
export function resume(ctx: Context): Promise<ResumeResult> {
  const { gap, window } = ctx.config.resume;
  return withSystem(ctx, "parley", async (system) => {
    await openAll(
      ctx,
      system,
      system.specs([0], () => [RESUME_ROOM]),
    );
    const seed = await ctx.gen.blast(0, {
      step: 0,
      slug: RESUME_ROOM,
      count: gap,
      window,
      textChars: ctx.config.textChars,
    });
    await openAll(
      ctx,
      system,
      system.specs([1], () => [RESUME_ROOM]),
    );
    await sleep(500);
    const { result: replay, cpuUs } = await cpuDuring(system.server.pid, () =>
      ctx.gen.replay(1, RESUME_ROOM, 0),
    );
    const result: ResumeResult = {
      gap,
      seedAckedPerSec: (gap * 1000) / seed.ms,
      seedAckP99: summarise(seed.ack).p99,
      replayMs: replay.ms,
      replayedMessages: replay.messages,
      historyFrames: replay.frames,
      replayMessagesPerSec: (replay.messages * 1000) / replay.ms,
      cpuUsPerReplayed: cpuUs / Math.max(1, replay.messages),
    };
    ctx.log(
      `parley resume: seeded ${gap} at ${Math.round(result.seedAckedPerSec)} acked/s; replayed ` +
        `${replay.messages} in ${replay.frames} frames in ${replay.ms.toFixed(0)} ms`,
    );
    return result;
  });
}

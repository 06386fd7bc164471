// Persistence (acks are sent after the store's commit, so acked messages/s
// is the store's throughput; ejabberd's "ack" is the room's echo, sent after
// MAM archived the message) and resume, Parley only (a client back from a
// gap replays it from the database).
import { RESUME_ROOM } from "../lib/layout.ts";
import { seedMessages } from "../lib/parley-data.ts";
import { cpuDuring, sleep } from "../lib/proc.ts";
import type { SystemName } from "../lib/systems.ts";
import { padding } from "../lib/wire.ts";
import {
  type Context,
  describeStep,
  measureStep,
  openAll,
  range,
  type StepResult,
  withSystem,
} from "./measure.ts";
import { warmUp } from "./rounds.ts";

export type PersistResult = {
  senders: number;
  step: StepResult;
  ackedPerSec: number;
  /** What stores the messages, e.g. "SQLite", "PostgreSQL", "MAM on SQLite". */
  store?: string;
};

/**
 * Each sender writes to a room of its own, so the figure is storage and
 * acks, not fan-out: the only other frame per message is the author's `read`
 * (Parley) or nothing (ejabberd). `start` overrides how the system starts
 * (Parley on PostgreSQL).
 */
export function persist(
  ctx: Context,
  name: SystemName = "parley",
  store = "SQLite",
  start?: Parameters<typeof withSystem>[3],
): Promise<PersistResult> {
  const { senders, rate, seconds } = ctx.config.persist;
  return withSystem(
    ctx,
    name,
    async (system) => {
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
        // Keep offering the full rate however far behind it falls (finite: IPC is JSON).
        abortMs: 1e9,
      };
      await warmUp(ctx.gen, ctx.config, load);
      const step = await measureStep(system, ctx.gen, ctx.config, load);
      ctx.log(describeStep(`${name} persistence (${store})`, step));
      return { senders, step, ackedPerSec: step.ackedPerSec, store };
    },
    start,
  );
}

export type ResumeResult = {
  gap: number;
  /** How the gap was written: straight into SQLite, or sent through the server. */
  seed: "sql" | "send";
  /** With seed "send": acked messages/s of one socket, closed loop. */
  seedAckedPerSec?: number;
  replayMs: number;
  replayedMessages: number;
  historyFrames: number;
  replayMessagesPerSec: number;
  /** Server CPU per replayed message, in µs. */
  cpuUsPerReplayed: number;
};

/** The gap is written while user 1 is away; user 1 then subscribes with afterSeq 0. */
export function resume(ctx: Context): Promise<ResumeResult> {
  const { gap, window, seed } = ctx.config.resume;
  const parley = ctx.parley;
  if (!parley) throw new Error("resume needs Parley's data");
  if (seed === "sql") {
    const pad = padding(ctx.config.textChars);
    seedMessages(parley.dataDir, RESUME_ROOM, gap, (i) => `${pad} ${i}`);
  }
  return withSystem(ctx, "parley", async (system) => {
    let seedAckedPerSec: number | undefined;
    if (seed === "send") {
      await openAll(
        ctx,
        system,
        system.specs([0], () => [RESUME_ROOM]),
      );
      const sent = await ctx.gen.blast(0, {
        step: 0,
        slug: RESUME_ROOM,
        count: gap,
        window,
        textChars: ctx.config.textChars,
      });
      seedAckedPerSec = (gap * 1000) / sent.ms;
    }
    const conn = ctx.gen.size;
    await openAll(
      ctx,
      system,
      system.specs([1], () => [RESUME_ROOM]),
    );
    await sleep(500);
    const { result: replay, cpuUs } = await cpuDuring(system.server.pid, () =>
      ctx.gen.replay(conn, RESUME_ROOM, 0),
    );
    const result: ResumeResult = {
      gap,
      seed,
      seedAckedPerSec,
      replayMs: replay.ms,
      replayedMessages: replay.messages,
      historyFrames: replay.frames,
      replayMessagesPerSec: (replay.messages * 1000) / replay.ms,
      cpuUsPerReplayed: cpuUs / Math.max(1, replay.messages),
    };
    ctx.log(
      `parley resume: replayed ${replay.messages} messages (gap ${gap}, seeded by ${seed}) in ` +
        `${replay.frames} frames in ${replay.ms.toFixed(0)} ms`,
    );
    return result;
  });
}

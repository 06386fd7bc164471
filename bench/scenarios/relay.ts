// The relay path: two Parley instances on one PostgreSQL database and one
// Redis, the fan-out room's members split half and half across them, against
// one instance on the same database in the same run. A message sent on one
// instance is stored there, fanned out to its own half, and published on
// Redis for the other instance to fan out to the other half. The figure is
// server CPU per delivery with both instances' CPU summed.
import type { ParleyPg } from "../lib/parley-pg.ts";
import { sleep } from "../lib/proc.ts";
import { type RunningSystem, startParleySystem } from "../lib/systems.ts";
import {
  type Context,
  describeStep,
  openAll,
  range,
  type StepResult,
  withSystem,
} from "./measure.ts";
import { measureRounds, warmUp } from "./rounds.ts";

export type RelayResult = {
  conns: number;
  senders: number;
  /** One instance, every member on it (PostgreSQL, no Redis). */
  single: StepResult;
  /** Two instances with Redis, half the members on each, CPU of both. */
  relay: StepResult;
  /** relay / single CPU per delivery. */
  cpuRatio: number;
};

export async function relay(ctx: Context, pg: ParleyPg, redisUrl: string): Promise<RelayResult> {
  const { conns, senders, rate, seconds } = ctx.config.relay;
  if (conns > pg.users.length) throw new Error("BENCH_RELAY_CONNS exceeds the PostgreSQL users");
  const half = Math.floor(conns / 2);
  const sendersEach = Math.max(1, Math.floor(senders / 2));
  const load = (senderConns: number[]) => ({
    seconds,
    perSecond: rate,
    senders: senderConns.map((conn) => ({ conn, slug: "general" })),
    receiversPerMessage: conns - 1,
  });
  const general = () => ["general"];
  const env = { DATABASE_URL: pg.databaseUrl };

  // The same senders in both: users 0.. of the first half and half.. of the second.
  const senderConns = [...range(sendersEach), ...range(sendersEach, half)];
  const single = await withSystem(
    ctx,
    "parley",
    async (system) => {
      await openAll(ctx, system, system.specs(range(conns), general));
      await sleep(1000);
      await warmUp(ctx.gen, ctx.config, load(senderConns));
      const step = await measureRounds(
        system,
        ctx.gen,
        ctx.config,
        ctx.config.rounds,
        load(senderConns),
      );
      ctx.log(describeStep("parley relay, one instance", step));
      return step;
    },
    () => startParleySystem(pg, [], env),
  );

  const relayed = await withPair(ctx, pg, { ...env, REDIS_URL: redisUrl }, async (a, b) => {
    // Users 0..half-1 on the first instance, half..conns-1 on the second;
    // connection indexes follow, so `senderConns` name the same users.
    await openAll(ctx, a, a.specs(range(half), general));
    await openAll(ctx, b, b.specs(range(conns - half, half), general));
    await sleep(1000);
    const both: RunningSystem = { ...a, extraPids: [b.server.pid] };
    await warmUp(ctx.gen, ctx.config, load(senderConns));
    const step = await measureRounds(
      both,
      ctx.gen,
      ctx.config,
      ctx.config.rounds,
      load(senderConns),
    );
    ctx.log(describeStep("parley relay, two instances", step));
    return step;
  });
  return {
    conns,
    senders: senderConns.length,
    single,
    relay: relayed,
    cpuRatio: relayed.cpuUsPerDelivery / single.cpuUsPerDelivery,
  };
}

/** Two instances on `env` (started together: migrations take a lock), always stopped after. */
async function withPair<T>(
  ctx: Context,
  pg: ParleyPg,
  env: Record<string, string>,
  body: (a: RunningSystem, b: RunningSystem) => Promise<T>,
): Promise<T> {
  const started = await Promise.allSettled([
    startParleySystem(pg, [], env),
    startParleySystem(pg, [], env),
  ]);
  const running = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  try {
    const [a, b] = running;
    if (!a || !b) {
      const failed = started.find((s) => s.status === "rejected");
      throw failed?.status === "rejected" ? failed.reason : new Error("an instance did not start");
    }
    return await body(a, b);
  } finally {
    await ctx.gen.closeAll().catch(() => undefined);
    await Promise.all(running.map((s) => s.server.stop()));
  }
}

// Scenario 2, many rooms: small rooms, one sender in each at 1 msg/s.
// Scenario 3, idle: server memory per authenticated idle connection.
import { cpuMicros, rssKiB, sleep } from "../lib/proc.ts";
import type { SystemName } from "../lib/systems.ts";
import {
  type Context,
  describeStep,
  openAll,
  range,
  type StepResult,
  withSystem,
} from "./measure.ts";
import { measureRounds, warmUp } from "./rounds.ts";

export type RoomsResult = { rooms: number; size: number; step: StepResult };

export function manyRooms(ctx: Context, name: SystemName): Promise<RoomsResult> {
  const { rooms, size, rate, seconds } = ctx.config.rooms;
  return withSystem(ctx, name, async (system) => {
    const { poolStart, groupOf } = ctx.layout;
    const users = range(rooms * size, poolStart);
    await openAll(
      ctx,
      system,
      system.specs(users, (i) => [groupOf(i) ?? ""]),
    );
    await sleep(1000);
    const load = {
      seconds,
      perSecond: rate,
      // The first member of each room sends (connection indexes count from 0).
      senders: range(rooms).map((r) => ({ conn: r * size, slug: `g-${r}` })),
      receiversPerMessage: size - 1,
    };
    await warmUp(ctx.gen, ctx.config, load);
    const step = await measureRounds(system, ctx.gen, ctx.config, ctx.config.rounds, load);
    ctx.log(describeStep(`${name} many rooms`, step));
    return { rooms, size, step };
  });
}

export type IdleResult = {
  conns: number;
  rssBeforeMiB: number;
  /** RSS `settleMs` after the last connect: still holding the connect storm's garbage. */
  rssAfterMiB: number;
  /** The lowest RSS sampled until `settleMaxMs` after the last connect. */
  rssSettledMiB: number;
  /** Seconds from the last connect until `rssSettledMiB` was read. */
  settledAfterS: number;
  /** Per connection, from the settled RSS: what an idle connection really costs. */
  kibPerConn: number;
  /** Per connection, from `rssAfterMiB`. */
  kibPerConnEarly: number;
  /** Server CPU to accept, authenticate and set up one connection, in µs. */
  cpuUsPerConnect: number;
};

/**
 * The lowest RSS over `forMs`, sampled twice a second. V8 gives the connect
 * storm's garbage back only some seconds after allocation stops (its memory
 * reducer, not on a fixed clock), and an idle server is measured in that
 * steady state, not mid-collection.
 */
async function settledRssKiB(pid: number, forMs: number): Promise<number> {
  const until = Date.now() + forMs;
  let low = rssKiB(pid);
  while (Date.now() < until) {
    await sleep(500);
    low = Math.min(low, rssKiB(pid));
  }
  return low;
}

export function idle(ctx: Context, name: SystemName): Promise<IdleResult> {
  const { conns, settleMs, settleMaxMs } = ctx.config.idle;
  const { poolStart, groupOf } = ctx.layout;
  return withSystem(ctx, name, async (system) => {
    const { pid } = system.server;
    // The same settled reading before connecting: setting up users leaves
    // garbage too, which must not be counted as given back by connections.
    const before = await settledRssKiB(pid, settleMaxMs);
    const cpuBefore = cpuMicros(pid);
    // Users beyond the many-rooms pool are in no room: authenticated, nothing more.
    const specs = system.specs(range(conns, poolStart), (i) => {
      const group = groupOf(i);
      return group ? [group] : [];
    });
    await openAll(ctx, system, specs);
    const cpuUs = cpuMicros(pid) - cpuBefore;
    const connected = Date.now();
    await sleep(settleMs);
    const after = rssKiB(pid);
    const settled = await settledRssKiB(pid, Math.max(0, settleMaxMs - settleMs));
    const result = {
      conns,
      rssBeforeMiB: before / 1024,
      rssAfterMiB: after / 1024,
      rssSettledMiB: settled / 1024,
      settledAfterS: (Date.now() - connected) / 1000,
      kibPerConn: (settled - before) / conns,
      kibPerConnEarly: (after - before) / conns,
      cpuUsPerConnect: cpuUs / conns,
    };
    ctx.log(
      `${name} idle: ${conns} connections, RSS ${result.rssBeforeMiB.toFixed(0)} -> ` +
        `${result.rssAfterMiB.toFixed(0)} MiB after ${settleMs / 1000} s, ` +
        `${result.rssSettledMiB.toFixed(0)} MiB at the lowest in ${result.settledAfterS.toFixed(0)} s, ` +
        `${result.kibPerConn.toFixed(1)} KiB each, ${result.cpuUsPerConnect.toFixed(0)} µs CPU per connect`,
    );
    return result;
  });
}

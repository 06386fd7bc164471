// Scenario 2, many rooms: small rooms, one sender in each at 1 msg/s.
// Scenario 3, idle: server memory per authenticated idle connection.
import { cpuMicros, rssKiB, sleep } from "../lib/proc.ts";
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

const groupOf = (size: number) => (i: number) => [`g-${Math.floor(i / size)}`];

export type RoomsResult = { rooms: number; size: number; step: StepResult };

export function manyRooms(ctx: Context, name: SystemName): Promise<RoomsResult> {
  const { rooms, size, rate, seconds } = ctx.config.rooms;
  return withSystem(ctx, name, async (system) => {
    await openAll(system, ctx.gen, system.specs(range(rooms * size), groupOf(size)));
    await sleep(1000);
    const step = await measureStep(system, ctx.gen, ctx.config, {
      seconds,
      perSecond: rate,
      // The first member of each room sends.
      senders: range(rooms).map((r) => ({ conn: r * size, slug: `g-${r}` })),
      receiversPerMessage: size - 1,
    });
    ctx.log(describeStep(`${name} many rooms`, step));
    return { rooms, size, step };
  });
}

export type IdleResult = {
  conns: number;
  rssBeforeMiB: number;
  rssAfterMiB: number;
  kibPerConn: number;
  /** Server CPU to accept, authenticate and set up one connection, in µs. */
  cpuUsPerConnect: number;
};

export function idle(ctx: Context, name: SystemName): Promise<IdleResult> {
  const { conns, settleMs } = ctx.config.idle;
  const grouped = ctx.config.rooms.rooms * ctx.config.rooms.size;
  const size = ctx.config.rooms.size;
  return withSystem(ctx, name, async (system) => {
    const { pid } = system.server;
    await sleep(settleMs);
    const before = rssKiB(pid);
    const cpuBefore = cpuMicros(pid);
    // Users beyond the grouped ones are in no room: authenticated, nothing more.
    const specs = system.specs(range(conns), (i) => (i < grouped ? groupOf(size)(i) : []));
    await openAll(system, ctx.gen, specs);
    const cpuUs = cpuMicros(pid) - cpuBefore;
    await sleep(settleMs);
    const after = rssKiB(pid);
    const result = {
      conns,
      rssBeforeMiB: before / 1024,
      rssAfterMiB: after / 1024,
      kibPerConn: (after - before) / conns,
      cpuUsPerConnect: cpuUs / conns,
    };
    ctx.log(
      `${name} idle: ${conns} connections, RSS ${result.rssBeforeMiB.toFixed(0)} -> ` +
        `${result.rssAfterMiB.toFixed(0)} MiB, ${result.kibPerConn.toFixed(1)} KiB each, ` +
        `${result.cpuUsPerConnect.toFixed(0)} µs CPU per connect`,
    );
    return result;
  });
}

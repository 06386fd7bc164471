// Large room (Parley only): M members of one room, C of them connected,
// with join/leave churn (connected clients leave, parked ones come back,
// half each, `churnPerSec` in all) and `rate` timed messages per second.
// Measured over `seconds`: deliveries/s, delivery p99, and presence frames
// per second per connection, which batching bounds by the tick rate
// (PARLEY_PRESENCE_TICK_MS, 4/s by default) whatever the churn.
import { rmSync } from "node:fs";
import { layout } from "../lib/layout.ts";
import { startParley } from "../lib/parley.ts";
import { prepareParley } from "../lib/parley-data.ts";
import { cpuMicros, sleep } from "../lib/proc.ts";
import type { Context } from "./measure.ts";
import { checkOpenFiles, StormClients, until } from "./storm-clients.ts";

export type LargeRoomResult = {
  members: number;
  connected: number;
  churnPerSec: number;
  seconds: number;
  deliveriesPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Presence frames per second per connected client over the measured span. */
  presencePerConnPerSec: number;
  serverCpuPct: number;
  clientCpuPct: number;
};

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN);

export async function largeRoom(ctx: Context): Promise<LargeRoomResult> {
  const { members, connected, churnPerSec, rate, seconds } = ctx.config.largeRoom;
  if (connected > members)
    throw new Error("BENCH_LARGE_CONNECTED cannot exceed BENCH_LARGE_MEMBERS");
  checkOpenFiles(Math.min(members, connected * 2), ctx.config.workers);
  const plan = layout({
    fanout: { conns: members },
    rooms: { rooms: 0, size: 10 },
    idle: { conns: 0 },
    persist: { senders: 0 },
  });
  ctx.log(`large room: preparing ${members} members`);
  const data = await prepareParley(plan, 1, ctx.log);
  const clients = new StormClients(ctx.config.workers);
  const server = await startParley(data.dataDir, ctx.config.parleyNodeArgs);
  try {
    const base = `http://127.0.0.1:${server.port}`;
    await clients.open(
      base,
      data.users.slice(0, connected).map((u) => u.cookie),
      "general",
    );
    await until(clients, (s) => s.resumed >= connected, 300_000);
    const spare = data.users.slice(connected, Math.min(members, connected * 2));
    // Members who come and go: added parked, brought in by the churn.
    await clients.open(
      base,
      spare.map((u) => u.cookie),
      "general",
      50,
      true,
    );
    const spareIndexes = spare.map((_, i) => connected + i);
    ctx.log(`large room: ${connected} of ${members} members connected`);

    const online = Array.from({ length: connected }, (_, i) => i);
    const parked = [...spareIndexes];
    const before = await clients.stats();
    const cpuBefore = cpuMicros(server.pid);
    const started = Date.now();
    let nextSend = started;
    let sent = 0;
    const tickMs = 100;
    const perTick = (churnPerSec * tickMs) / 1000;
    let owed = 0;
    while (Date.now() - started < seconds * 1000) {
      owed += perTick;
      const moves = Math.floor(owed);
      owed -= moves;
      // Half leave, half come back (a leave when no one is parked yet).
      const leaving: number[] = [];
      const coming: number[] = [];
      for (let i = 0; i < moves; i++) {
        if (i % 2 === 0 || parked.length === 0) {
          const at = Math.floor(Math.random() * online.length);
          const [who] = online.splice(at, 1);
          if (who !== undefined) leaving.push(who);
        } else {
          const who = parked.shift();
          if (who !== undefined) coming.push(who);
        }
      }
      await clients.churn(leaving, false);
      await clients.churn(coming, true);
      parked.push(...leaving);
      online.push(...coming);
      while (Date.now() >= nextSend && rate > 0) {
        const sender = online[sent % online.length];
        if (sender !== undefined) await clients.send(sender);
        sent++;
        nextSend += 1000 / rate;
      }
      await sleep(tickMs);
    }
    const spanS = (Date.now() - started) / 1000;
    await sleep(1_000);
    const after = await clients.stats();
    const cpuUs = cpuMicros(server.pid) - cpuBefore;
    const latencies = [...before.latencies, ...after.latencies].sort((a, b) => a - b);
    const result: LargeRoomResult = {
      members,
      connected,
      churnPerSec,
      seconds: spanS,
      deliveriesPerSec: (after.messages - before.messages) / spanS,
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      presencePerConnPerSec: (after.presenceFrames - before.presenceFrames) / spanS / connected,
      serverCpuPct: (cpuUs / 1e6 / (spanS + 1)) * 100,
      clientCpuPct: ((after.cpuUs - before.cpuUs) / 1e6 / (spanS + 1)) * 100,
    };
    ctx.log(
      `large room: ${result.deliveriesPerSec.toFixed(0)} deliveries/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ` +
        `${result.presencePerConnPerSec.toFixed(2)} presence frames/s per connection, server CPU ${result.serverCpuPct.toFixed(0)}%`,
    );
    return result;
  } finally {
    await clients.stop();
    await server.stop();
    rmSync(data.dataDir, { recursive: true, force: true });
  }
}

// Reconnect storm (Parley only): N authenticated clients, all in one room,
// are dropped at once by a server restart (SIGKILL, then a new process on
// the same port and data folder). Measured from the moment the new server
// answers HTTP: the time until every client has its `ready` and its
// resume's `done`, the new server's CPU per reconnect, and the presence
// and member-list frames the clients received meanwhile.
import { rmSync } from "node:fs";
import { connect } from "node:net";
import { layout } from "../lib/layout.ts";
import { SHEDDING, startParley } from "../lib/parley.ts";
import { prepareParley } from "../lib/parley-data.ts";
import { cpuMicros, rssKiB } from "../lib/proc.ts";
import type { Context } from "./measure.ts";
import { checkOpenFiles, StormClients, until } from "./storm-clients.ts";

export type StormResult = {
  clients: number;
  /** First connect of everyone, before the restart (s). */
  connectAllS: number;
  /** From the restarted server's first HTTP answer until all resumed (s); null if it timed out. */
  resumeAllS: number | null;
  /** Clients resumed when the wait ended. */
  resumed: number;
  /** Longest wait of one client from "server answers" to its open (s). */
  longestOpenWaitS: number;
  cpuUsPerReconnect: number;
  presenceFrames: number;
  presencePerClient: number;
  membersFrames: number;
  /** MiB the clients received during the storm. */
  receivedMiB: number;
  attempts: number;
  serverRssMiB: number;
  clientCpuS: number;
  errors: string[];
};

/** True once the port accepts a TCP connection: the server is back. */
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

/** The storm's room: everyone is in general. */
const ROOM = "general";

export async function storm(ctx: Context): Promise<StormResult> {
  const { conns, timeoutS } = ctx.config.storm;
  checkOpenFiles(conns, ctx.config.workers);
  const plan = layout({
    fanout: { conns },
    rooms: { rooms: 0, size: 10 },
    idle: { conns: 0 },
    persist: { senders: 0 },
  });
  ctx.log(`storm: preparing ${conns} users in one room`);
  const data = await prepareParley(plan, 1, ctx.log);
  const users = data.users.slice(0, conns);
  const clients = new StormClients(ctx.config.workers);
  let server = await startParley(data.dataDir, ctx.config.parleyNodeArgs, SHEDDING);
  const base = `http://127.0.0.1:${server.port}`;
  try {
    const connectStarted = Date.now();
    await clients.open(
      base,
      users.map((u) => u.cookie),
      ROOM,
    );
    const first = await until(clients, (s) => s.resumed >= conns, timeoutS * 1000);
    const connectAllS = (Date.now() - connectStarted) / 1000;
    ctx.log(
      `storm: ${first.stats.resumed}/${conns} connected and resumed in ${connectAllS.toFixed(1)} s`,
    );
    const before = first.stats;

    // The drop: no drain, no close frames; every socket sees a reset.
    process.kill(server.pid, "SIGKILL");
    await server.stop();
    await until(clients, (s) => s.resumed === 0, 30_000);
    server = await startParley(
      data.dataDir,
      ctx.config.parleyNodeArgs,
      { ...SHEDDING, PORT: String(server.port) },
      listening,
    );
    const back = Date.now();
    const cpuStart = cpuMicros(server.pid);
    const after = await until(clients, (s) => s.resumed >= conns, timeoutS * 1000);
    const doneAt = after.timedOut ? Date.now() : after.stats.lastResumedAt;
    const cpuUs = cpuMicros(server.pid) - cpuStart;
    const s = after.stats;
    const longestOpenWaitMs = Math.max(0, ...s.openedAt.map((t) => t - back));
    const presenceFrames = s.presenceFrames - before.presenceFrames;
    const result: StormResult = {
      clients: conns,
      connectAllS,
      resumeAllS: after.timedOut ? null : (doneAt - back) / 1000,
      resumed: s.resumed,
      longestOpenWaitS: longestOpenWaitMs / 1000,
      cpuUsPerReconnect: cpuUs / Math.max(1, s.resumed),
      presenceFrames,
      presencePerClient: presenceFrames / conns,
      membersFrames: s.membersFrames - before.membersFrames,
      receivedMiB: (s.bytes - before.bytes) / 1024 / 1024,
      attempts: s.attempts - before.attempts,
      serverRssMiB: rssKiB(server.pid) / 1024,
      clientCpuS: (s.cpuUs - before.cpuUs) / 1e6,
      errors: s.errors,
    };
    ctx.log(
      `storm: ${result.resumed}/${conns} resumed ${result.resumeAllS === null ? "(timed out)" : `in ${result.resumeAllS.toFixed(1)} s`}, ` +
        `${result.cpuUsPerReconnect.toFixed(0)} µs CPU per reconnect, ${presenceFrames} presence frames ` +
        `(${result.presencePerClient.toFixed(1)} per client), ${result.receivedMiB.toFixed(1)} MiB received, ` +
        `client CPU ${result.clientCpuS.toFixed(1)} s`,
    );
    return result;
  } finally {
    await clients.stop();
    await server.stop();
    rmSync(data.dataDir, { recursive: true, force: true });
  }
}

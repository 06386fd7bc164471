// The systems under test, each its own server process, and how a load
// generator connects to each: Parley with session cookies, the baselines
// with their rooms named in the URL (they have no auth at all), ejabberd
// over XMPP with an account per user.
import type { ConnSpec } from "../loadgen/protocol.ts";
import {
  type EjabberdData,
  type EjabberdMam,
  MUC_DOMAIN,
  startEjabberd,
  XMPP_DOMAIN,
  xmppUser,
} from "./ejabberd.ts";
import { startParley } from "./parley.ts";
import type { BenchUser } from "./parley-data.ts";
import { answers, freePort, type ServerProcess, startProcess } from "./proc.ts";

export type SystemName = "parley" | "ws" | "ws-frame" | "crossws" | "socketio" | "ejabberd";

export type RunningSystem = {
  name: SystemName;
  kind: "ws" | "io" | "xmpp";
  server: ServerProcess;
  /** More server processes whose CPU and memory count with `server`'s (relay: the second instance). */
  extraPids?: number[];
  base: string;
  /** Connection specs for users `indexes`, each in the rooms `slugsOf(i)`. */
  specs: (indexes: number[], slugsOf: (i: number) => string[]) => ConnSpec[];
};

const BASELINES: Record<Exclude<SystemName, "parley" | "ejabberd">, string> = {
  ws: "bench/baselines/ws-string.ts",
  "ws-frame": "bench/baselines/ws-frame.ts",
  crossws: "bench/baselines/crossws.ts",
  socketio: "bench/baselines/socketio.ts",
};

export type ParleyData = { dataDir: string; users: BenchUser[] };

/** Parley on `parley`'s data; `env` on top, e.g. DATABASE_URL and REDIS_URL. */
export async function startParleySystem(
  parley: ParleyData,
  nodeArgs: string[] = [],
  env: Record<string, string> = {},
): Promise<RunningSystem> {
  const server = await startParley(parley.dataDir, nodeArgs, env);
  return {
    name: "parley",
    kind: "ws",
    server,
    base: `http://127.0.0.1:${server.port}`,
    specs: parleySpecs(parley),
  };
}

/** Connection specs for Parley's users: their session cookies. */
export const parleySpecs =
  (parley: ParleyData) => (indexes: number[], slugsOf: (i: number) => string[]) =>
    indexes.map((i) => {
      const user = parley.users[i];
      if (!user) throw new Error(`no bench user ${i}: raise the plan's user count`);
      // Parley takes the rooms from the database; the slugs only name them for senders.
      return { cookie: user.cookie, slugs: slugsOf(i) };
    });

export async function startSystem(
  name: SystemName,
  parley: ParleyData | undefined,
  parleyNodeArgs: string[] = [],
  ejabberd?: EjabberdData,
  ejabberdMam: EjabberdMam = "mnesia",
): Promise<RunningSystem> {
  if (name === "ejabberd") {
    if (!ejabberd) throw new Error("ejabberd needs its prepared spool");
    const server = await startEjabberd(ejabberd, ejabberdMam);
    const specs = (indexes: number[], slugsOf: (i: number) => string[]) =>
      indexes.map((i) => {
        if (i >= ejabberd.users)
          throw new Error(`no ejabberd user ${i}: raise the plan's user count`);
        return {
          slugs: slugsOf(i),
          xmpp: { ...xmppUser(i), domain: XMPP_DOMAIN, muc: MUC_DOMAIN },
        };
      });
    return { name, kind: "xmpp", server, base: `http://127.0.0.1:${server.port}`, specs };
  }
  if (name === "parley") {
    if (!parley) throw new Error("Parley needs its prepared data folder");
    return startParleySystem(parley, parleyNodeArgs);
  }
  const port = await freePort();
  const server = await startProcess({
    name,
    port,
    args: [BASELINES[name]],
    env: { PORT: String(port), NODE_ENV: "production" },
    ready: () => answers(`http://127.0.0.1:${port}/`),
  });
  return {
    name,
    kind: name === "socketio" ? "io" : "ws",
    server,
    base: `http://127.0.0.1:${port}`,
    specs: (indexes, slugsOf) => indexes.map((i) => ({ slugs: slugsOf(i) })),
  };
}

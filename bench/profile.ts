// `npm run bench:profile`: where Parley's server spends its CPU in steady
// state. Starts Parley with the inspector on, opens the connections, warms
// up, then samples only the measured step through the DevTools protocol
// (--cpu-prof would also profile start-up and the connection storm).
// BENCH_PROFILE=fanout (default) profiles the first fan-out step;
// BENCH_PROFILE=persist the persistence scenario's send path.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import WebSocket from "ws";
import { loadConfig } from "./lib/config.ts";
import { layout } from "./lib/layout.ts";
import { ensureBuild } from "./lib/parley.ts";
import { prepareParley } from "./lib/parley-data.ts";
import { freePort } from "./lib/proc.ts";
import { type CpuProfile, summariseProfile } from "./lib/profile-summary.ts";
import { startSystem } from "./lib/systems.ts";
import { LoadGen } from "./loadgen/driver.ts";
import { type Context, describeStep, measureStep, openAll, range } from "./scenarios/measure.ts";
import { warmUp } from "./scenarios/rounds.ts";

const which = process.env.BENCH_PROFILE === "persist" ? "persist" : "fanout";
const config = loadConfig();
const plan = layout(config);
const log = (line: string) => console.log(line);

/** A minimal DevTools-protocol session over the inspector's websocket. */
async function inspector(port: number) {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
    webSocketDebuggerUrl: string;
  }[];
  const url = targets[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error("no inspector target");
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  let next = 1;
  const pending = new Map<number, (result: unknown) => void>();
  ws.on("message", (data) => {
    const reply = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (reply.id !== undefined) pending.get(reply.id)?.(reply.result);
  });
  return {
    call<T>(method: string, params: object = {}): Promise<T> {
      const id = next++;
      ws.send(JSON.stringify({ id, method, params }));
      return new Promise((resolve) => pending.set(id, resolve as (result: unknown) => void));
    },
    close: () => ws.close(),
  };
}

ensureBuild();
const parley = await prepareParley(plan, config.signUps, log);
const gen = LoadGen.start(config.workers);
const ctx: Context = { config, layout: plan, gen, parley, log };
const port = await freePort();
const system = await startSystem("parley", parley, [`--inspect=127.0.0.1:${port}`]);
try {
  const load =
    which === "fanout"
      ? {
          seconds: config.fanout.firstSeconds,
          perSecond: config.fanout.rate,
          senders: range(config.fanout.senders).map((conn) => ({ conn, slug: "general" })),
          receiversPerMessage: config.fanout.conns - 1,
        }
      : {
          seconds: config.persist.seconds,
          perSecond: config.persist.rate / config.persist.senders,
          senders: range(config.persist.senders).map((conn) => ({ conn, slug: `p-${conn}` })),
          receiversPerMessage: 0,
          // As in the persistence scenario: keep offering however far behind.
          abortMs: 1e9,
        };
  const users = which === "fanout" ? config.fanout.conns : config.persist.senders;
  await openAll(
    ctx,
    system,
    system.specs(range(users), () => []),
  );
  await warmUp(gen, config, load);
  const session = await inspector(port);
  await session.call("Profiler.enable");
  await session.call("Profiler.setSamplingInterval", { interval: 200 });
  await session.call("Profiler.start");
  const step = await measureStep(system, gen, config, load);
  const { profile } = await session.call<{ profile: CpuProfile }>("Profiler.stop");
  session.close();
  log(describeStep(`parley ${which}`, step));
  const dir = join(config.outDir, "tmp");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `parley-${which}.cpuprofile`), JSON.stringify(profile));
  const summary = summariseProfile(profile, 25);
  const text = `# Parley CPU profile: ${which}\n\n${describeStep(`parley ${which}`, step)}\n\n${summary}\n`;
  writeFileSync(join(config.outDir, `profile-${which}.md`), text);
  console.log(`\n${summary}\n\nfull profile: ${join(dir, `parley-${which}.cpuprofile`)}`);
} finally {
  await gen.closeAll().catch(() => undefined);
  gen.stop();
  await system.server.stop();
  rmSync(parley.dataDir, { recursive: true, force: true });
}

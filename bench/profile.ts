// `npm run bench:profile`: where Parley's server spends its CPU in steady
// state. Starts Parley with the inspector on, opens the connections, warms
// up, then samples only the measured step through the DevTools protocol
// (--cpu-prof would also profile start-up and the connection storm).
// BENCH_PROFILE=fanout (default) profiles the first fan-out step;
// BENCH_PROFILE=persist the persistence scenario's send path;
// BENCH_PROFILE=rooms the many-rooms step (small rooms, one sender each);
// BENCH_PROFILE=idle the connect storm of the idle scenario (upgrade,
// session lookup, ready), sampled while the connections open.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import WebSocket from "ws";
import { loadConfig } from "./lib/config.ts";
import { layout } from "./lib/layout.ts";
import { ensureBuild } from "./lib/parley.ts";
import { prepareParley } from "./lib/parley-data.ts";
import { cpuMicros, freePort } from "./lib/proc.ts";
import { type CpuProfile, summariseProfile } from "./lib/profile-summary.ts";
import { startSystem } from "./lib/systems.ts";
import { LoadGen } from "./loadgen/driver.ts";
import { type Context, describeStep, measureStep, openAll, range } from "./scenarios/measure.ts";
import { warmUp } from "./scenarios/rounds.ts";

const modes = ["fanout", "persist", "rooms", "idle"] as const;
type Mode = (typeof modes)[number];
const asked = process.env.BENCH_PROFILE ?? "fanout";
if (!modes.includes(asked as Mode))
  throw new Error(`BENCH_PROFILE must be one of ${modes.join(", ")}`);
const which = asked as Mode;
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
  const { poolStart, groupOf } = plan;
  const loads = {
    fanout: {
      seconds: config.fanout.firstSeconds,
      perSecond: config.fanout.rate,
      senders: range(config.fanout.senders).map((conn) => ({ conn, slug: "general" })),
      receiversPerMessage: config.fanout.conns - 1,
    },
    persist: {
      seconds: config.persist.seconds,
      perSecond: config.persist.rate / config.persist.senders,
      senders: range(config.persist.senders).map((conn) => ({ conn, slug: `p-${conn}` })),
      receiversPerMessage: 0,
      // As in the persistence scenario: keep offering however far behind.
      abortMs: 1e9,
    },
    // As in the many-rooms scenario: the first member of each room sends.
    rooms: {
      seconds: config.rooms.seconds,
      perSecond: config.rooms.rate,
      senders: range(config.rooms.rooms).map((r) => ({
        conn: r * config.rooms.size,
        slug: `g-${r}`,
      })),
      receiversPerMessage: config.rooms.size - 1,
    },
  };
  // Who connects: the scenario's own users (the pool for rooms and idle).
  const specs =
    which === "fanout" || which === "persist"
      ? system.specs(
          range(which === "fanout" ? config.fanout.conns : config.persist.senders),
          () => [],
        )
      : system.specs(
          range(
            which === "rooms" ? config.rooms.rooms * config.rooms.size : config.idle.conns,
            poolStart,
          ),
          (i) => {
            const group = groupOf(i);
            return group ? [group] : [];
          },
        );
  const session = await inspector(port);
  await session.call("Profiler.enable");
  await session.call("Profiler.setSamplingInterval", { interval: 200 });
  let described: string;
  if (which === "idle") {
    // The connect storm itself is what is sampled.
    const cpuBefore = cpuMicros(system.server.pid);
    const started = performance.now();
    await session.call("Profiler.start");
    await openAll(ctx, system, specs);
    const cpuUs = cpuMicros(system.server.pid) - cpuBefore;
    described =
      `parley idle: ${specs.length} connections in ${((performance.now() - started) / 1000).toFixed(1)} s, ` +
      `${(cpuUs / specs.length).toFixed(0)} µs CPU per connect (profiler on)`;
  } else {
    const load = loads[which];
    await openAll(ctx, system, specs);
    await warmUp(gen, config, load);
    await session.call("Profiler.start");
    const step = await measureStep(system, gen, config, load);
    described = describeStep(`parley ${which}`, step);
  }
  const { profile } = await session.call<{ profile: CpuProfile }>("Profiler.stop");
  session.close();
  log(described);
  const dir = join(config.outDir, "tmp");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `parley-${which}.cpuprofile`), JSON.stringify(profile));
  const summary = summariseProfile(profile, 25);
  const text = `# Parley CPU profile: ${which}\n\n${described}\n\n${summary}\n`;
  writeFileSync(join(config.outDir, `profile-${which}.md`), text);
  console.log(`\n${summary}\n\nfull profile: ${join(dir, `parley-${which}.cpuprofile`)}`);
} finally {
  await gen.closeAll().catch(() => undefined);
  gen.stop();
  await system.server.stop();
  rmSync(parley.dataDir, { recursive: true, force: true });
}

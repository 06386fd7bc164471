// `npm run bench`: Parley against four baselines, each its own server
// process, driven by load-generator processes over 127.0.0.1. Scenarios run
// one after another, all systems for a scenario back to back, so a busy
// machine disturbs them alike. Writes bench/results/latest.{json,md,svg}.
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { loadConfig } from "./lib/config.ts";
import {
  EJABBERDCTL,
  type EjabberdData,
  prepareEjabberd,
  removeEjabberdData,
} from "./lib/ejabberd.ts";
import { layout } from "./lib/layout.ts";
import { writeResults } from "./lib/output.ts";
import { ensureBuild } from "./lib/parley.ts";
import { prepareParley } from "./lib/parley-data.ts";
import { type ParleyPg, postgresProblem, prepareParleyPg, redisProblem } from "./lib/parley-pg.ts";
import type { Results } from "./lib/report.ts";
import { type ParleyData, type SystemName, startParleySystem, startSystem } from "./lib/systems.ts";
import { LoadGen } from "./loadgen/driver.ts";
import { fanout } from "./scenarios/fanout.ts";
import { largeRoom } from "./scenarios/large-room.ts";
import type { Context } from "./scenarios/measure.ts";
import { persist, resume } from "./scenarios/parley-only.ts";
import { relay } from "./scenarios/relay.ts";
import { rest } from "./scenarios/rest.ts";
import { idle, manyRooms } from "./scenarios/rooms.ts";
import { storm } from "./scenarios/storm.ts";
import { uploads } from "./scenarios/upload.ts";

const config = loadConfig();
// Ctrl-C or a kill: exit through process.exit, so the exit hooks that stop
// servers outside the harness's process group (ejabberd's VM) run.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));
const started = Date.now();
const log = (line: string) =>
  console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

const results: Results = {
  date: new Date().toISOString(),
  machine: { node: process.version, cpus: availableParallelism(), loadAverage: loadavg() },
  config,
  fanout: {},
  rooms: {},
  idle: {},
  failures: {},
};

let systems = config.systems as SystemName[];
const wants = (scenario: string) => config.scenarios.includes(scenario);
const parleyRuns = systems.includes("parley");

const plan = layout(config);
let parley: ParleyData | undefined;
if (parleyRuns) {
  ensureBuild();
  const prepStarted = Date.now();
  log(`preparing Parley: ${plan.users} users`);
  parley = await prepareParley(plan, config.signUps, log);
  const signUps = Math.min(config.signUps, plan.users);
  results.prepare = { signUps, seeded: plan.users - signUps, ms: Date.now() - prepStarted };
}

// Parley on PostgreSQL (persistence, relay) when the server answers; a
// database of the run's own, dropped at the end. Left out, with the reason
// in the results, when it does not answer.
let pg: ParleyPg | undefined;
if (parleyRuns && (wants("persist") || wants("relay"))) {
  const problem = await postgresProblem(config.postgresUrl);
  if (problem) {
    log(`PostgreSQL at ${config.postgresUrl} does not answer (${problem}): left out`);
    results.skipped = { ...results.skipped, postgres: problem };
  } else {
    const relayConns = wants("relay") ? config.relay.conns : 0;
    const solo = wants("persist") ? config.persist.senders : 0;
    const t0 = Date.now();
    pg = await attempt("parley postgres prepare", () =>
      prepareParleyPg(config.postgresUrl, Math.max(relayConns, solo, 2), (i) => [
        ...(i < relayConns ? ["general"] : []),
        ...(i < solo ? [`p-${i}`] : []),
      ]),
    );
    if (pg) log(`PostgreSQL: ${pg.users.length} users seeded in ${Date.now() - t0} ms`);
  }
}

let ejabberd: EjabberdData | undefined;
if (systems.includes("ejabberd") && !existsSync(EJABBERDCTL)) {
  // A fresh machine: install Debian's ejabberd (never starting its service).
  log("ejabberd missing: running bench/setup-ejabberd.sh");
  spawnSync("sh", ["bench/setup-ejabberd.sh"], { stdio: "inherit" });
}
if (systems.includes("ejabberd")) {
  // Every user registered once; each scenario starts a fresh VM on this spool.
  try {
    ejabberd = await prepareEjabberd(plan.users);
    log(`ejabberd: ${plan.users} users registered in ${Math.round(ejabberd.registerMs)} ms`);
    results.prepareEjabberd = { users: plan.users, registerMs: ejabberd.registerMs };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`ejabberd left out: ${message}`);
    results.failures["ejabberd prepare"] = message.split("\n")[0] ?? message;
    systems = systems.filter((s) => s !== "ejabberd");
  }
}

const gen = LoadGen.start(config.workers);
const ctx: Context = { config, layout: plan, gen, parley, ejabberd, log };

/** Runs one scenario for one system; a failure is recorded and the run goes on. */
async function attempt<T>(label: string, body: () => Promise<T>): Promise<T | undefined> {
  try {
    return await body();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`${label} failed: ${message}`);
    results.failures[label] = message.split("\n")[0] ?? message;
    return undefined;
  }
}

try {
  for (const name of wants("fanout") ? systems : []) {
    const r = await attempt(`${name} fanout`, () => fanout(ctx, name));
    if (r) results.fanout[name] = r;
  }
  for (const name of wants("rooms") ? systems : []) {
    const r = await attempt(`${name} rooms`, () => manyRooms(ctx, name));
    if (r) results.rooms[name] = r;
  }
  for (const name of wants("idle") ? systems : []) {
    const r = await attempt(`${name} idle`, () => idle(ctx, name));
    if (r) results.idle[name] = r;
  }
  if (parleyRuns && wants("persist"))
    results.persist = await attempt("parley persist", () => persist(ctx));
  const onPg = pg;
  if (onPg && wants("persist")) {
    const r = await attempt("parley persist postgres", () =>
      persist(ctx, "parley", "PostgreSQL", () =>
        startParleySystem(onPg, [], { DATABASE_URL: onPg.databaseUrl }),
      ),
    );
    if (r) results.persistPeers = { ...results.persistPeers, "parley postgres": r };
  }
  if (ejabberd && wants("persist")) {
    // Both of its stores: Mnesia (its default, no fsync per message) and SQLite (an fsync each).
    for (const mam of ["mnesia", "sqlite"] as const) {
      const store = `MAM on ${mam === "mnesia" ? "Mnesia" : "SQLite"}`;
      const r = await attempt(`ejabberd persist ${mam}`, () =>
        persist(ctx, "ejabberd", store, () =>
          startSystem("ejabberd", undefined, [], ejabberd, mam),
        ),
      );
      if (r) results.persistPeers = { ...results.persistPeers, [`ejabberd ${mam}`]: r };
    }
  }
  if (parleyRuns && wants("rest")) results.rest = await attempt("parley rest", () => rest(ctx));
  if (parleyRuns && wants("resume"))
    results.resume = await attempt("parley resume", () => resume(ctx));
  if (parleyRuns && wants("storm")) results.storm = await attempt("parley storm", () => storm(ctx));
  if (parleyRuns && wants("large-room"))
    results.largeRoom = await attempt("parley large room", () => largeRoom(ctx));
  if (onPg && wants("relay")) {
    const problem = await redisProblem(config.redisUrl);
    if (problem) {
      log(`Redis at ${config.redisUrl} does not answer (${problem}): relay left out`);
      results.skipped = { ...results.skipped, redis: problem };
    } else results.relay = await attempt("parley relay", () => relay(ctx, onPg, config.redisUrl));
  }
  if (parleyRuns && wants("upload")) {
    const parleyUpload = await attempt("parley upload", () => uploads(ctx, "parley"));
    const floorUpload = await attempt("floor upload", () => uploads(ctx, "floor"));
    if (parleyUpload && floorUpload) results.upload = { parley: parleyUpload, floor: floorUpload };
  }
} finally {
  gen.stop();
  // The users and messages are throwaway: leave no temp folder behind.
  if (parley) rmSync(parley.dataDir, { recursive: true, force: true });
  if (ejabberd) removeEjabberdData(ejabberd);
  await pg?.drop().catch((error: unknown) => log(`dropping the bench database failed: ${error}`));
}

const table = writeResults(results, config.outDir);
console.log(`\n${table}\n`);
log(`done; results in ${config.outDir}/latest.{json,md,svg}`);
process.exit(Object.keys(results.failures).length > 0 ? 1 : 0);

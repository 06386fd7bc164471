// Every size and duration of a run, from BENCH_* environment variables. The
// defaults finish a whole run in about five minutes on an idle 2-core machine.

const num = (name: string, fallback: number) => {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${name} must be a number, got "${raw}"`);
  return value;
};
const list = (name: string, fallback: string[]) =>
  process.env[name]
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean) ?? fallback;

export const ALL_SYSTEMS = ["parley", "ws", "ws-frame", "crossws", "socketio", "ejabberd"] as const;
export const ALL_SCENARIOS = ["fanout", "rooms", "idle", "persist", "resume", "upload"] as const;

export function loadConfig() {
  const config = {
    systems: list("BENCH_SYSTEMS", [...ALL_SYSTEMS]),
    scenarios: list("BENCH_SCENARIOS", [...ALL_SCENARIOS]),
    /** Client for the WebSocket systems: "lite" (bench/loadgen/lite-ws.ts) or "ws". */
    client: (process.env.BENCH_CLIENT === "ws" ? "ws" : "lite") as "ws" | "lite",
    /** Load-generator processes (one leaves the other core to the server). */
    workers: num("BENCH_WORKERS", 1),
    /** Characters of padding in each message's text (a short chat line). */
    textChars: num("BENCH_TEXT_CHARS", 60),
    /** Most time a step waits for late deliveries after its sends stop (it ends once all arrived). */
    drainMs: num("BENCH_DRAIN_MS", 2000),
    /** A step stops sending once anything arrives this late (ms): it has failed anyway. */
    abortMs: num("BENCH_ABORT_MS", 1000),
    /** An unmeasured step before each measured load (JIT warm-up). */
    warmupSeconds: num("BENCH_WARMUP_SECONDS", 2),
    /** The first fan-out step, many rooms and persistence run as this many rounds; figures are medians. */
    rounds: num("BENCH_ROUNDS", 3),
    fanout: {
      conns: num("BENCH_FANOUT_CONNS", 1000),
      senders: num("BENCH_FANOUT_SENDERS", 50),
      /** Messages per second per sender in the first step; doubled each step. */
      rate: num("BENCH_FANOUT_RATE", 1),
      firstSeconds: num("BENCH_FANOUT_FIRST_SECONDS", 10),
      stepSeconds: num("BENCH_FANOUT_STEP_SECONDS", 5),
      maxSteps: num("BENCH_FANOUT_STEPS", 5),
    },
    rooms: {
      rooms: num("BENCH_ROOMS", 100),
      size: num("BENCH_ROOM_SIZE", 10),
      /** Messages per second per room (one sender in each). */
      rate: num("BENCH_ROOMS_RATE", 1),
      seconds: num("BENCH_ROOMS_SECONDS", 8),
    },
    idle: {
      conns: num("BENCH_IDLE_CONNS", 2000),
      /** The early RSS reading, this long after the last connect. */
      settleMs: num("BENCH_IDLE_SETTLE_MS", 3000),
      /** How long after the last connect RSS is watched for its settled (lowest) value. */
      settleMaxMs: num("BENCH_IDLE_SETTLE_MAX_MS", 20000),
    },
    persist: {
      senders: num("BENCH_PERSIST_SENDERS", 50),
      /** Offered messages per second in total. */
      rate: num("BENCH_PERSIST_RATE", 1000),
      seconds: num("BENCH_PERSIST_SECONDS", 6),
    },
    resume: {
      gap: num("BENCH_RESUME_GAP", 10_000),
      /** "sql" writes the gap into SQLite; "send" sends it through the server (slow, real). */
      seed: (process.env.BENCH_RESUME_SEED === "send" ? "send" : "sql") as "sql" | "send",
      /** Sends in flight with seed "send". */
      window: num("BENCH_RESUME_WINDOW", 64),
    },
    upload: {
      /** Size of the file each upload streams (MB). */
      sizeMB: num("BENCH_UPLOAD_MB", 100),
      /** Uploads per system; figures are medians (RSS growth: the largest). */
      runs: num("BENCH_UPLOAD_RUNS", 3),
    },
    /** Users through the real (scrypt) sign-up; the rest are seeded sessions. */
    signUps: num("BENCH_SIGNUPS", 16),
    /** Extra node flags for Parley's server, e.g. "--cpu-prof" (space-separated). */
    parleyNodeArgs: list("BENCH_PARLEY_NODE_ARGS", []).flatMap((s) => s.split(" ")),
    /** Where results go; tmp/ below it is git-ignored. */
    outDir: process.env.BENCH_OUT ?? "bench/results",
  };
  for (const system of config.systems) {
    if (!(ALL_SYSTEMS as readonly string[]).includes(system))
      throw new Error(`unknown system ${system}`);
  }
  for (const scenario of config.scenarios) {
    if (!(ALL_SCENARIOS as readonly string[]).includes(scenario))
      throw new Error(`unknown scenario ${scenario}`);
  }
  return config;
}

export type Config = ReturnType<typeof loadConfig>;

/** The service level a step must meet: a system that misses it has passed its knee. */
export const SLO = { delivered: 0.999, p99Ms: 100 } as const;

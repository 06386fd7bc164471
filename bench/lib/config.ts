// Every size and duration of a run, from BENCH_* environment variables. The
// defaults finish a whole run within 20 minutes on an idle 2-core machine;
// BENCH_QUICK=1 picks small sizes and one round (a minute or three), for
// trying a change, never for the figures in bench/README.

/** BENCH_QUICK=1: small sizes; each `num` below names its quick default next to the full one. */
const quickRun = () => {
  const raw = process.env.BENCH_QUICK ?? "";
  if (raw !== "" && raw !== "0" && raw !== "1")
    throw new Error(`BENCH_QUICK must be 1 or 0, got "${raw}"`);
  return raw === "1";
};

export const DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test";
export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

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
export const ALL_SCENARIOS = [
  "fanout",
  "rooms",
  "idle",
  "persist",
  "resume",
  "upload",
  "storm",
  "large-room",
  "relay",
  "rest",
] as const;

export function loadConfig() {
  const QUICK = quickRun();
  const pick = (full: number, quick: number) => (QUICK ? quick : full);
  const mam = process.env.BENCH_EJABBERD_MAM ?? "mnesia";
  if (mam !== "mnesia" && mam !== "sqlite")
    throw new Error(`BENCH_EJABBERD_MAM must be mnesia or sqlite, got "${mam}"`);
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
    warmupSeconds: num("BENCH_WARMUP_SECONDS", pick(2, 1)),
    /** The first fan-out step, many rooms and persistence run as this many rounds; figures are medians. */
    rounds: num("BENCH_ROUNDS", pick(3, 1)),
    fanout: {
      conns: num("BENCH_FANOUT_CONNS", pick(1000, 200)),
      senders: num("BENCH_FANOUT_SENDERS", pick(50, 20)),
      /** Messages per second per sender in the first step; doubled each step. */
      rate: num("BENCH_FANOUT_RATE", 1),
      firstSeconds: num("BENCH_FANOUT_FIRST_SECONDS", pick(10, 3)),
      stepSeconds: num("BENCH_FANOUT_STEP_SECONDS", pick(5, 2)),
      maxSteps: num("BENCH_FANOUT_STEPS", pick(5, 3)),
    },
    rooms: {
      rooms: num("BENCH_ROOMS", pick(500, 50)),
      size: num("BENCH_ROOM_SIZE", 10),
      /** Messages per second per room (one sender in each). */
      rate: num("BENCH_ROOMS_RATE", 1),
      seconds: num("BENCH_ROOMS_SECONDS", pick(8, 3)),
    },
    idle: {
      conns: num("BENCH_IDLE_CONNS", pick(2000, 500)),
      /** The early RSS reading, this long after the last connect. */
      settleMs: num("BENCH_IDLE_SETTLE_MS", pick(3000, 1000)),
      /** How long after the last connect RSS is watched for its settled (lowest) value. */
      settleMaxMs: num("BENCH_IDLE_SETTLE_MAX_MS", pick(20000, 4000)),
    },
    persist: {
      senders: num("BENCH_PERSIST_SENDERS", pick(50, 20)),
      /** Offered messages per second in total. */
      rate: num("BENCH_PERSIST_RATE", pick(1000, 400)),
      seconds: num("BENCH_PERSIST_SECONDS", pick(6, 3)),
    },
    resume: {
      gap: num("BENCH_RESUME_GAP", pick(10_000, 2000)),
      /** "sql" writes the gap into SQLite; "send" sends it through the server (slow, real). */
      seed: (process.env.BENCH_RESUME_SEED === "send" ? "send" : "sql") as "sql" | "send",
      /** Sends in flight with seed "send". */
      window: num("BENCH_RESUME_WINDOW", 64),
    },
    upload: {
      /** Size of the file each upload streams (MB). */
      sizeMB: num("BENCH_UPLOAD_MB", pick(100, 20)),
      /** Uploads per system; figures are medians (RSS growth: the largest). */
      runs: num("BENCH_UPLOAD_RUNS", pick(3, 1)),
    },
    storm: {
      /** Clients in one room dropped at once by a restart. */
      conns: num("BENCH_STORM_CONNS", pick(10_000, 1000)),
      /** Longest wait for everyone to resume (s). */
      timeoutS: num("BENCH_STORM_TIMEOUT_S", 300),
    },
    largeRoom: {
      members: num("BENCH_LARGE_MEMBERS", pick(10_000, 2000)),
      connected: num("BENCH_LARGE_CONNECTED", pick(5000, 1000)),
      /** Leaves plus comebacks per second. */
      churnPerSec: num("BENCH_LARGE_CHURN", 50),
      /** Timed messages per second into the room. */
      rate: num("BENCH_LARGE_RATE", 1),
      seconds: num("BENCH_LARGE_SECONDS", pick(20, 10)),
    },
    relay: {
      /** The fan-out room's connections, split half and half over two instances. */
      conns: num("BENCH_RELAY_CONNS", pick(1000, 200)),
      senders: num("BENCH_RELAY_SENDERS", pick(50, 20)),
      rate: num("BENCH_RELAY_RATE", 1),
      seconds: num("BENCH_RELAY_SECONDS", pick(9, 3)),
    },
    rest: {
      /** Users posting over the API, each into a room of its own (at most the persistence senders). */
      senders: num("BENCH_REST_SENDERS", pick(20, 10)),
      /** POSTs offered per second in total (and the socket's sends, beside them). */
      rate: num("BENCH_REST_RATE", 200),
      seconds: num("BENCH_REST_SECONDS", pick(10, 3)),
    },
    /** PostgreSQL for persistence on PostgreSQL and the relay (a database of the bench's own, dropped after). */
    postgresUrl: process.env.TEST_POSTGRES_URL ?? DEFAULT_POSTGRES_URL,
    /** Redis for the relay scenario's two instances. */
    redisUrl: process.env.TEST_REDIS_URL ?? DEFAULT_REDIS_URL,
    quick: QUICK,
    /**
     * ejabberd's MAM store in fan-out, many rooms and idle: "mnesia" (its
     * default) or "sqlite" (fsyncs every message). Persistence runs both.
     */
    ejabberdMam: mam as "mnesia" | "sqlite",
    /** Users through the real (scrypt) sign-up; the rest are seeded sessions. */
    signUps: num("BENCH_SIGNUPS", 16),
    /** Extra node flags for Parley's server, e.g. "--cpu-prof" (space-separated). */
    parleyNodeArgs: list("BENCH_PARLEY_NODE_ARGS", []).flatMap((s) => s.split(" ")),
    /** Where results go; tmp/ below it is git-ignored. */
    // A quick run's figures are not the committed ones: they go to the
    // git-ignored tmp/ and leave bench/README's results alone.
    outDir: process.env.BENCH_OUT ?? (QUICK ? "bench/results/tmp/quick" : "bench/results"),
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

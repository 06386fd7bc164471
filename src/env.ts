import { z } from "zod";

/** Every environment variable Parley reads, with its default and meaning (README renders this). */
export const ENV_DOCS = [
  ["PORT", "3000", "HTTP port of the production server (NITRO_PORT also works)."],
  ["HOST", "all interfaces", "Interface the production server binds to (NITRO_HOST also works)."],
  [
    "DATABASE_URL",
    "./data/parley.db",
    "SQLite file path (or file:// URL; its folder is created if missing), or a postgres:// / postgresql:// URL to use PostgreSQL (needed to run several instances).",
  ],
  [
    "REDIS_URL",
    "(none)",
    "redis:// or rediss:// URL of the Redis that relays live messages between several instances. Unset: one instance, no relay.",
  ],
  ["PARLEY_DATA_DIR", "./data", "Folder for the generated auth secret (and the default database)."],
  [
    "BETTER_AUTH_SECRET",
    "generated",
    "Session signing secret, 32+ characters. When unset, one is generated on first run and kept in PARLEY_DATA_DIR/auth-secret (mode 0600). Instances sharing a database need one value.",
  ],
  [
    "PARLEY_ALLOWED_ORIGINS",
    "(none)",
    "Comma-separated extra origins (https://chat.example.com) allowed to open /_ws and call the auth API; the app's own origin is always allowed.",
  ],
  [
    "PARLEY_PUBLIC_URL",
    "(from each request)",
    "The origin people use to reach Parley (https://chat.example.com). Set it in production: auth then uses it for its base URL, and https makes session cookies Secure.",
  ],
  [
    "PARLEY_AUTH_ATTEMPTS_PER_MINUTE",
    "10",
    "Sign-in and sign-up attempts allowed per client address per minute (the socket's address, or the trusted proxy's entry); more get HTTP 429. Each account (email) also locks after 5 wrong passwords in a row, see PARLEY_AUTH_LOCK_SECONDS.",
  ],
  [
    "PARLEY_AUTH_LOCK_SECONDS",
    "30",
    "How long an email is refused (HTTP 429 with Retry-After) after 5 wrong passwords in a row, from any addresses; each further wrong password doubles it, up to 1 hour. A right password resets the count.",
  ],
  [
    "PARLEY_RATE_PER_SECOND",
    "10",
    "Frames a connection (and a user, across connections) may send per second, sustained.",
  ],
  ["PARLEY_RATE_BURST", "20", "Frames allowed in a burst above the sustained rate."],
  ["PARLEY_ROOMS_PER_HOUR", "20", "Rooms a user may create per hour (per instance)."],
  [
    "PARLEY_DMS_PER_HOUR",
    "30",
    "New direct-message conversations a user may start per hour (per instance).",
  ],
  [
    "PARLEY_INVITES_PER_HOUR",
    "60",
    "People a user may invite to private rooms per hour (per instance).",
  ],
  [
    "PARLEY_SEARCHES_PER_SECOND",
    "3",
    "Message searches (and, apart, invite-picker look-ups) a user may run per second, with a burst of three times that.",
  ],
  [
    "PARLEY_PAGES_PER_SECOND",
    "5",
    "Pages of history (older messages, room pages) a user may load per second, with a burst of three times that.",
  ],
  [
    "PARLEY_MAX_SOCKETS_PER_USER",
    "20",
    "Open websockets per user; the next upgrade gets HTTP 429.",
  ],
  [
    "PARLEY_MAX_SOCKETS_PER_IP",
    "100",
    "Open websockets per client IP; the next upgrade gets HTTP 429.",
  ],
  [
    "PARLEY_USER_CONNECTS_PER_MINUTE",
    "30",
    "Websocket upgrades a user may start per minute (all at once, or spread out); more get HTTP 429 with Retry-After.",
  ],
  [
    "PARLEY_IP_CONNECTS_PER_MINUTE",
    "300",
    "Websocket upgrades (signed in or not) a client IP may start per minute; more get HTTP 429 with Retry-After.",
  ],
  [
    "PARLEY_PRESENCE_TTL_SECONDS",
    "15",
    "How long a user stays online after their instance stops renewing (it died or froze); renewed every third of it. Several instances only.",
  ],
  [
    "PARLEY_TRUST_PROXY",
    "false",
    "true behind a reverse proxy: the client address comes from X-Forwarded-For instead of the socket, taking the entry PARLEY_TRUSTED_PROXY_HOPS from the right (the one your proxy added; entries further left are written by the client and ignored). It then also decides who is loopback for /metrics.",
  ],
  [
    "PARLEY_TRUSTED_PROXY_HOPS",
    "1",
    "With PARLEY_TRUST_PROXY=true: how many proxies of yours append to X-Forwarded-For (nginx in front: 1; a CDN then nginx: 2).",
  ],
  [
    "PARLEY_METRICS_TOKEN",
    "(none)",
    "Bearer token for /metrics; without it /metrics answers only requests from loopback.",
  ],
  [
    "PARLEY_HEADERS_TIMEOUT_MS",
    "10000",
    "Time a client has to send a request's headers (websocket handshakes included) before the connection is cut.",
  ],
  [
    "PARLEY_HEARTBEAT_SECONDS",
    "25",
    "Seconds between websocket pings; a socket that has not answered one (pong) for two intervals is cut. Frames a client sends do not count as an answer.",
    "PARLEY_SESSION_SWEEP_SECONDS",
    "30",
    "How often open websockets are checked against their sessions: expired sessions, and sessions deleted from the database, lose their sockets by the next check.",
  ],
  ["LOG_LEVEL", "info", "One of debug, info, warn, error, silent."],
] as const;

const origin = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") && url.origin === value;
    } catch {
      return false;
    }
  }, "each entry must be an origin such as https://chat.example.com (scheme, host, optional port; no path)");

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

const port = z
  .string()
  .regex(/^\d{1,5}$/, "a TCP port number from 0 to 65535")
  .transform(Number)
  .pipe(z.number().max(65535, "a TCP port number from 0 to 65535"))
  .optional();

const positiveInt = (fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, "a whole number, 1 or more")
    .transform(Number)
    .pipe(z.number().int().min(1, "a whole number, 1 or more"))
    .default(fallback);

const schema = z.object({
  PORT: port,
  NITRO_PORT: port,
  HOST: z.string().trim().min(1).optional(),
  NITRO_HOST: z.string().trim().min(1).optional(),
  DATABASE_URL: z
    .string()
    .trim()
    .min(1)
    .refine(
      (value) =>
        !/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ||
        value.startsWith("file://") ||
        (POSTGRES_URL.test(value) && URL.canParse(value)),
      "a SQLite file path such as ./data/parley.db, a file:// URL, or a PostgreSQL URL such as postgresql://user:password@host:5432/parley",
    )
    .optional(),
  REDIS_URL: z
    .string()
    .trim()
    .refine(
      (value) => /^rediss?:\/\//i.test(value) && URL.canParse(value),
      "a Redis URL such as redis://127.0.0.1:6379 or rediss://user:password@host:6380",
    )
    .optional(),
  PARLEY_DATA_DIR: z.string().trim().min(1).default("./data"),
  BETTER_AUTH_SECRET: z
    .string()
    .min(32, "at least 32 characters (or unset it to have one generated)")
    .optional(),
  PARLEY_ALLOWED_ORIGINS: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .pipe(z.array(origin)),
  PARLEY_PUBLIC_URL: origin.optional(),
  PARLEY_AUTH_ATTEMPTS_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1, "a whole number of attempts, 1 or more")
    .default(10),
  PARLEY_AUTH_LOCK_SECONDS: positiveInt(30),
  PARLEY_RATE_PER_SECOND: positiveInt(10),
  PARLEY_RATE_BURST: positiveInt(20),
  PARLEY_ROOMS_PER_HOUR: positiveInt(20),
  PARLEY_DMS_PER_HOUR: positiveInt(30),
  PARLEY_INVITES_PER_HOUR: positiveInt(60),
  PARLEY_SEARCHES_PER_SECOND: positiveInt(3),
  PARLEY_PAGES_PER_SECOND: positiveInt(5),
  PARLEY_MAX_SOCKETS_PER_USER: positiveInt(20),
  PARLEY_MAX_SOCKETS_PER_IP: positiveInt(100),
  PARLEY_USER_CONNECTS_PER_MINUTE: positiveInt(30),
  PARLEY_IP_CONNECTS_PER_MINUTE: positiveInt(300),
  PARLEY_PRESENCE_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(3, "a whole number of seconds, 3 or more")
    .max(3600, "at most 3600 seconds")
    .default(15),
  PARLEY_TRUST_PROXY: z
    .enum(["true", "false", "1", "0"], { message: "true or false" })
    .default("false")
    .transform((value) => value === "true" || value === "1"),
  PARLEY_TRUSTED_PROXY_HOPS: positiveInt(1),
  PARLEY_METRICS_TOKEN: z.string().min(16, "at least 16 characters").optional(),
  PARLEY_HEADERS_TIMEOUT_MS: positiveInt(10_000),
  PARLEY_HEARTBEAT_SECONDS: positiveInt(25).pipe(z.number().max(3600, "at most 3600 seconds")),
  PARLEY_SESSION_SWEEP_SECONDS: positiveInt(30),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

/** Where the data lives: an SQLite file (one instance) or PostgreSQL (one or many). */
export type DatabaseConfig = { kind: "sqlite"; path: string } | { kind: "postgres"; url: string };

export type Config = {
  port: number;
  host: string | undefined;
  database: DatabaseConfig;
  /** Cross-instance relay; unset runs a single instance. */
  redisUrl: string | undefined;
  dataDir: string;
  authSecret: string | undefined;
  allowedOrigins: string[];
  publicUrl: string | undefined;
  authAttemptsPerMinute: number;
  /** First lock of an email after repeated wrong passwords; doubles per further failure. */
  authLockMs: number;
  limits: {
    ratePerSecond: number;
    rateBurst: number;
    socketsPerUser: number;
    socketsPerIp: number;
    /** Upgrades a user, and an IP, may start per minute (token buckets of that size). */
    connectsPerMinutePerUser: number;
    connectsPerMinutePerIp: number;
  };
  /** Per-user limits on server functions and socket actions (src/server/fns/limits.server.ts). */
  actionLimits: {
    roomsPerHour: number;
    dmsPerHour: number;
    invitesPerHour: number;
    searchesPerSecond: number;
    pagesPerSecond: number;
  };
  /** Lifetime of a presence lease; instances renew theirs every third of it. */
  presenceTtlMs: number;
  trustProxy: boolean;
  /** With trustProxy: how many X-Forwarded-For entries from the right our proxies wrote. */
  trustedProxyHops: number;
  metricsToken: string | undefined;
  headersTimeoutMs: number;
  /** Between websocket pings; two unanswered intervals cut the socket. */
  heartbeatMs: number;
  /** How often sockets are checked against their sessions (expiry, deleted rows). */
  sessionSweepMs: number;
  logLevel: z.infer<typeof schema>["LOG_LEVEL"];
};

/** Thrown when the environment holds a bad value; the message names the variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses an environment into the config; throws ConfigError naming each bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map(
      (issue) => `${issue.path.join(".") || "environment"}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  const value = result.data;
  const dataDir = value.PARLEY_DATA_DIR;
  const url = value.DATABASE_URL;
  const database: DatabaseConfig =
    url && POSTGRES_URL.test(url)
      ? { kind: "postgres", url }
      : {
          kind: "sqlite",
          path: url ? url.replace(/^file:\/\//, "") : `${dataDir.replace(/\/$/, "")}/parley.db`,
        };
  return {
    port: value.NITRO_PORT ?? value.PORT ?? 3000,
    host: value.NITRO_HOST ?? value.HOST,
    database,
    redisUrl: value.REDIS_URL,
    dataDir,
    authSecret: value.BETTER_AUTH_SECRET,
    allowedOrigins: value.PARLEY_PUBLIC_URL
      ? [value.PARLEY_PUBLIC_URL, ...value.PARLEY_ALLOWED_ORIGINS]
      : value.PARLEY_ALLOWED_ORIGINS,
    publicUrl: value.PARLEY_PUBLIC_URL,
    authAttemptsPerMinute: value.PARLEY_AUTH_ATTEMPTS_PER_MINUTE,
    authLockMs: value.PARLEY_AUTH_LOCK_SECONDS * 1000,
    limits: {
      ratePerSecond: value.PARLEY_RATE_PER_SECOND,
      rateBurst: value.PARLEY_RATE_BURST,
      socketsPerUser: value.PARLEY_MAX_SOCKETS_PER_USER,
      socketsPerIp: value.PARLEY_MAX_SOCKETS_PER_IP,
      connectsPerMinutePerUser: value.PARLEY_USER_CONNECTS_PER_MINUTE,
      connectsPerMinutePerIp: value.PARLEY_IP_CONNECTS_PER_MINUTE,
    },
    actionLimits: {
      roomsPerHour: value.PARLEY_ROOMS_PER_HOUR,
      dmsPerHour: value.PARLEY_DMS_PER_HOUR,
      invitesPerHour: value.PARLEY_INVITES_PER_HOUR,
      searchesPerSecond: value.PARLEY_SEARCHES_PER_SECOND,
      pagesPerSecond: value.PARLEY_PAGES_PER_SECOND,
    },
    presenceTtlMs: value.PARLEY_PRESENCE_TTL_SECONDS * 1000,
    trustProxy: value.PARLEY_TRUST_PROXY,
    trustedProxyHops: value.PARLEY_TRUSTED_PROXY_HOPS,
    metricsToken: value.PARLEY_METRICS_TOKEN,
    headersTimeoutMs: value.PARLEY_HEADERS_TIMEOUT_MS,
    heartbeatMs: value.PARLEY_HEARTBEAT_SECONDS * 1000,
    sessionSweepMs: value.PARLEY_SESSION_SWEEP_SECONDS * 1000,
    logLevel: value.LOG_LEVEL,
  };
}

let cached: Config | undefined;

/** The process's config, read once from process.env (the only reader of it). */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

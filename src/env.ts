import { z } from "zod";

/** A variable's README entry: its meaning, and what applies when it is unset (Markdown). */
type EnvDoc = { meaning: string; unset?: string };

const envDocs = z.registry<EnvDoc>();

/**
 * Attaches a variable's documentation to its schema entry (a copy, so shared building blocks stay
 * undocumented). Without `unset`, the default shown is the one the schema itself applies.
 */
function doc<T extends z.ZodType>(type: T, meaning: string, unset?: string): T {
  const copy = type.clone() as T;
  envDocs.add(copy, unset === undefined ? { meaning } : { meaning, unset });
  return copy;
}

const DEFAULT_PORT = 3000;

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
  PORT: doc(
    port,
    "HTTP port of the production server (`NITRO_PORT` also works).",
    `\`${DEFAULT_PORT}\``,
  ),
  NITRO_PORT: port,
  HOST: doc(
    z.string().trim().min(1).optional(),
    "Interface the production server binds to (`NITRO_HOST` also works).",
    "all interfaces",
  ),
  NITRO_HOST: z.string().trim().min(1).optional(),
  DATABASE_URL: doc(
    z
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
    "SQLite file path (or `file://` URL; its folder is created if missing), or a `postgres://` / `postgresql://` URL to keep the data in PostgreSQL (several instances).",
    "`./data/parley.db`",
  ),
  REDIS_URL: doc(
    z
      .string()
      .trim()
      .refine(
        (value) => /^rediss?:\/\//i.test(value) && URL.canParse(value),
        "a Redis URL such as redis://127.0.0.1:6379 or rediss://user:password@host:6380",
      )
      .optional(),
    "`redis://` or `rediss://` URL of the Redis that relays live messages between instances sharing one PostgreSQL. Unset: a single instance.",
  ),
  PARLEY_DATA_DIR: doc(
    z.string().trim().min(1).default("./data"),
    "Folder for the generated auth secret (and the default database).",
  ),
  BETTER_AUTH_SECRET: doc(
    z.string().min(32, "at least 32 characters (or unset it to have one generated)").optional(),
    "Session signing secret, 32+ characters. When unset, one is generated on first run and kept in `PARLEY_DATA_DIR/auth-secret` (mode 0600); the log says so. Instances sharing a database need one value.",
    "generated",
  ),
  PARLEY_PUBLIC_URL: doc(
    origin.optional(),
    "The origin people use to reach Parley (`https://chat.example.com`). Set it in production: auth uses it as its base URL, and `https` makes session cookies Secure.",
    "from each request",
  ),
  PARLEY_ALLOWED_ORIGINS: doc(
    z
      .string()
      .default("")
      .transform((value) =>
        value
          .split(",")
          .map((entry) => entry.trim())
          .filter(Boolean),
      )
      .pipe(z.array(origin)),
    "Comma-separated extra origins allowed to open `/_ws` and call the auth API; the app's own origin is always allowed.",
  ),
  PARLEY_AUTH_ATTEMPTS_PER_MINUTE: doc(
    z.coerce.number().int().min(1, "a whole number of attempts, 1 or more").default(10),
    "Sign-in and sign-up attempts per client address per minute (the socket's, or the trusted proxy's entry); more get HTTP 429. Per account too: see `PARLEY_AUTH_LOCK_SECONDS`.",
  ),
  PARLEY_AUTH_LOCK_SECONDS: doc(
    positiveInt(30),
    "After 5 wrong passwords in a row for one email (from any address), it is refused this long (HTTP 429, `Retry-After`); each further failure doubles it, up to 1 h. Success resets.",
  ),
  PARLEY_RATE_PER_SECOND: doc(
    positiveInt(10),
    "Frames a connection (and a user, across connections) may send per second, sustained (a `fetch` counts as 5 frames, a resuming `subscribe` as 2); more get a `rate_limited` error with a retry time, and a client that keeps going is closed (1008).",
  ),
  PARLEY_RATE_BURST: doc(positiveInt(20), "Frames allowed in a burst above the sustained rate."),
  PARLEY_ROOMS_PER_HOUR: doc(
    positiveInt(20),
    'Rooms a user may create per hour; more get "Too many new rooms: try again in ..." under the form. Per instance.',
  ),
  PARLEY_DMS_PER_HOUR: doc(
    positiveInt(30),
    "New direct-message conversations a user may start per hour (reopening one is free). Per instance.",
  ),
  PARLEY_INVITES_PER_HOUR: doc(
    positiveInt(60),
    "People a user may invite to private rooms per hour; more get a `rate_limited` error. Per instance.",
  ),
  PARLEY_SEARCHES_PER_SECOND: doc(
    positiveInt(3),
    "Message searches (and, counted apart, invite-picker look-ups) per user per second, with a burst of three times that.",
  ),
  PARLEY_PAGES_PER_SECOND: doc(
    positiveInt(5),
    "Pages of history (older messages, room pages) per user per second, with a burst of three times that.",
  ),
  PARLEY_MAX_SOCKETS_PER_USER: doc(
    positiveInt(20),
    "Open websockets per user; the next upgrade gets HTTP 429.",
  ),
  PARLEY_MAX_SOCKETS_PER_IP: doc(
    positiveInt(100),
    "Open websockets per client IP; the next upgrade gets HTTP 429.",
  ),
  PARLEY_USER_CONNECTS_PER_MINUTE: doc(
    positiveInt(30),
    "Websocket upgrades a user may start per minute (all at once, or spread out); more get HTTP 429 with Retry-After.",
  ),
  PARLEY_IP_CONNECTS_PER_MINUTE: doc(
    positiveInt(300),
    "Websocket upgrades (signed in or not) a client IP may start per minute; more get HTTP 429 with Retry-After.",
  ),
  PARLEY_MAX_PENDING_CONNECTS: doc(
    positiveInt(100),
    "Websocket connects the server sets up at once (upgrade to `ready`); more get HTTP 503 with Retry-After at once and retry after their backoff, so a reconnect storm is served at the server's pace instead of piling up.",
  ),
  PARLEY_SHED_LAG_MS: doc(
    positiveInt(300),
    "When the event loop is this many milliseconds behind, new websocket connects get HTTP 503 with Retry-After at once (the work already started finishes first).",
  ),
  PARLEY_PRESENCE_TTL_SECONDS: doc(
    z.coerce
      .number()
      .int()
      .min(3, "a whole number of seconds, 3 or more")
      .max(3600, "at most 3600 seconds")
      .default(15),
    "How long a user stays online after their instance stops renewing (it died or froze); renewed every third of it. Several instances only.",
  ),
  PARLEY_PRESENCE_TICK_MS: doc(
    z.coerce
      .number()
      .int("a whole number of milliseconds")
      .min(10, "at least 10 ms")
      .max(10_000, "at most 10000 ms")
      .default(250),
    "Presence changes reach each room at most once per this many milliseconds, batched into one frame per socket (someone who came and went within it is not announced).",
  ),
  PARLEY_TRUST_PROXY: doc(
    z
      .enum(["true", "false", "1", "0"], { message: "true or false" })
      .default("false")
      .transform((value) => value === "true" || value === "1"),
    "`true` behind a reverse proxy: the client address is the `X-Forwarded-For` entry your proxy added (see `PARLEY_TRUSTED_PROXY_HOPS`), for limits and `/metrics`' loopback check.",
  ),
  PARLEY_TRUSTED_PROXY_HOPS: doc(
    positiveInt(1),
    "With `PARLEY_TRUST_PROXY=true`: how many proxies of yours append to `X-Forwarded-For`; the entry that many from the right is the client's (nginx: 1; a CDN, then nginx: 2).",
  ),
  PARLEY_METRICS_TOKEN: doc(
    z.string().min(16, "at least 16 characters").optional(),
    "Bearer token for `/metrics`; without it `/metrics` answers only requests from loopback.",
  ),
  PARLEY_HEADERS_TIMEOUT_MS: doc(
    positiveInt(10_000),
    "Time a client has to send a request's headers (websocket handshakes included) before the connection is cut (slowloris).",
  ),
  PARLEY_SESSION_SWEEP_SECONDS: doc(
    positiveInt(30),
    "How often open websockets are checked against their sessions: expired or deleted sessions lose their sockets by the next check (sign-out and revocations close them at once).",
  ),
  PARLEY_RETENTION_SWEEP_SECONDS: doc(
    positiveInt(3600).pipe(z.number().max(86_400, "at most 86400 seconds (a day)")),
    'How often the retention sweep deletes messages older than "Keep messages for N days" (set in /admin/settings and per room in /admin/rooms). Any instance may sweep.',
  ),
  PARLEY_HEARTBEAT_SECONDS: doc(
    positiveInt(25).pipe(z.number().max(3600, "at most 3600 seconds")),
    "Seconds between websocket pings; a socket that has not answered one (pong) for two intervals is cut. Frames the client sends do not count, so a client that never reads is cut.",
  ),
  PARLEY_FILES_URL: doc(
    z
      .string()
      .trim()
      .refine(
        (value) =>
          /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\s]*)?$/.test(value) ||
          !/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ||
          value.startsWith("file://"),
        "a folder path, a file:// URL, or s3://<bucket> (optionally s3://<bucket>/<prefix>) with a valid bucket name",
      )
      .optional(),
    "Where uploaded files are kept: a folder (or `file://` URL), or `s3://<bucket>[/<prefix>]` for S3-compatible storage (see the `PARLEY_S3_*` variables). Several instances need S3 or one shared folder.",
    "`PARLEY_DATA_DIR/files`",
  ),
  PARLEY_S3_ENDPOINT: doc(
    z
      .string()
      .trim()
      .refine(
        (value) => /^https?:\/\//i.test(value) && URL.canParse(value),
        "an http(s) URL such as https://s3.eu-west-1.amazonaws.com or http://127.0.0.1:9000",
      )
      .optional(),
    "With `s3://`: the S3 endpoint URL (MinIO, Ceph, R2, ...).",
    "AWS's endpoint for the region",
  ),
  PARLEY_S3_REGION: doc(
    z.string().trim().min(1).default("us-east-1"),
    "With `s3://`: the bucket's region.",
  ),
  PARLEY_S3_FORCE_PATH_STYLE: doc(
    z
      .enum(["true", "false", "1", "0"], { message: "true or false" })
      .default("false")
      .transform((value) => value === "true" || value === "1"),
    "With `s3://`: `true` addresses the bucket in the path (`endpoint/bucket/key`), as most self-hosted S3 servers need.",
  ),
  AWS_ACCESS_KEY_ID: doc(
    z.string().trim().min(1).optional(),
    "With `s3://`: the access key (with `AWS_SECRET_ACCESS_KEY`). Unset: the AWS SDK's usual chain (profile, instance role).",
  ),
  AWS_SECRET_ACCESS_KEY: doc(
    z.string().trim().min(1).optional(),
    "With `s3://`: the secret key for `AWS_ACCESS_KEY_ID`.",
  ),
  PARLEY_MAX_UPLOAD_MB: doc(
    positiveInt(25),
    "Largest file one upload may be, in MB (MiB); a larger one gets HTTP 413 and the composer names the limit.",
  ),
  PARLEY_USER_QUOTA_MB: doc(
    positiveInt(1024),
    "Total size of the files one user may have stored, in MB (MiB); an upload past it is refused with a clear error.",
  ),
  PARLEY_UNCLAIMED_FILE_HOURS: doc(
    z
      .string()
      .regex(/^\d+(\.\d+)?$/, "a number of hours above 0, such as 24 or 0.5")
      .transform(Number)
      .pipe(z.number().positive("a number of hours above 0, such as 24 or 0.5"))
      .default(24),
    "Hours an uploaded file may stay unsent (attached to no message) before it is deleted; the sweep runs hourly, or more often when this is under 4 hours.",
  ),
  PARLEY_LINK_PREVIEWS: doc(
    z.enum(["on", "off"], { message: "on or off" }).default("on"),
    "`off` stops the server from fetching link previews (the page's title, description and image for the first link of a message).",
  ),
  PARLEY_LINK_PREVIEW_ALLOW_HOSTS: doc(
    z
      .string()
      .default("")
      .transform((value) =>
        value
          .split(",")
          .map((entry) => entry.trim().toLowerCase())
          .filter(Boolean),
      ),
    "Comma-separated host names (or `host:port`) link previews may fetch even though they resolve to a private or loopback address (an intranet wiki, tests). Every other private, loopback, link-local and metadata address is refused.",
  ),
  PARLEY_WEBHOOK_ALLOW_HOSTS: doc(
    z
      .string()
      .default("")
      .transform((value) =>
        value
          .split(",")
          .map((entry) => entry.trim().toLowerCase())
          .filter(Boolean),
      ),
    "Comma-separated host names (or `host:port`) outgoing webhooks and custom slash commands may POST to even though they resolve to a private or loopback address (an intranet service, tests). Every other private, loopback, link-local and metadata address is refused.",
  ),
  PARLEY_WEBHOOK_RETRY_BASE_MS: doc(
    positiveInt(10_000),
    "Milliseconds before an outgoing webhook's first retry; each further retry waits twice as long, at most an hour, for up to 24 hours after the event.",
  ),
  PARLEY_WEBHOOK_TIMEOUT_MS: doc(
    positiveInt(10_000),
    "Milliseconds an outgoing webhook's receiver has to answer a delivery; a slower one counts as a failure and is retried.",
  ),
  PARLEY_COMMAND_TIMEOUT_MS: doc(
    positiveInt(5_000),
    "Milliseconds a custom slash command's service has to answer; a slower one fails with a message to the user who ran it (it is not retried).",
  ),
  PARLEY_VAPID_PUBLIC_KEY: doc(
    z.string().trim().min(1).optional(),
    "Web Push VAPID public key (base64url, as `web-push generate-vapid-keys` prints). Set it with the private key, on every instance alike.",
    "generated on first run into `PARLEY_DATA_DIR/vapid.json`",
  ),
  PARLEY_VAPID_PRIVATE_KEY: doc(
    z.string().trim().min(1).optional(),
    "Web Push VAPID private key (base64url); set with the public key.",
    "generated with the public key",
  ),
  PARLEY_VAPID_SUBJECT: doc(
    z
      .string()
      .trim()
      .regex(/^(mailto:|https:\/\/)/, "a mailto: or https: URL")
      .optional(),
    "Contact the push services may use (`mailto:` or `https:` URL), sent in the VAPID claim.",
    "`mailto:` + `PARLEY_MAIL_FROM`'s address, else the public URL when it is https, else `mailto:admin@localhost`",
  ),
  SMTP_URL: doc(
    z
      .string()
      .trim()
      .regex(/^smtps?:\/\/[^/]+/i, "an smtp:// or smtps:// URL (user and password in it)")
      .optional(),
    "Outgoing mail server for missed-message email, password reset and email verification: `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://user:pass@host:465` (TLS).",
    "no email is sent",
  ),
  PARLEY_MAIL_FROM: doc(
    z.string().trim().min(3).optional(),
    "The From of Parley's email, such as `Parley <chat@example.com>`.",
    "`Parley <parley@` + the public URL's host + `>`",
  ),
  PARLEY_EMAIL_DELAY_MINUTES: doc(
    z
      .string()
      .regex(/^\d+(\.\d+)?$/, "a number of minutes above 0")
      .transform(Number)
      .pipe(z.number().positive("a number of minutes above 0"))
      .default(10),
    "How long a mention or DM stays unread (with the user not active since) before the missed-message email; at most one email per user per this window.",
  ),
  PARLEY_REQUIRE_EMAIL_VERIFICATION: doc(
    z
      .enum(["true", "false", "1", "0"], { message: "true or false" })
      .default("false")
      .transform((value) => value === "true" || value === "1"),
    "`true`: a new account must follow the link emailed to it before it can sign in (needs `SMTP_URL`; without it the link is written to the server log).",
  ),
  PARLEY_OIDC_ISSUER: doc(
    z
      .string()
      .trim()
      .refine(
        (value) => /^https?:\/\//i.test(value) && URL.canParse(value),
        "an http(s) URL such as https://accounts.google.com",
      )
      .optional(),
    "Single sign-on: the OpenID Provider's issuer URL (its `/.well-known/openid-configuration` is read at start). Set it with `PARLEY_OIDC_CLIENT_ID` and `PARLEY_OIDC_CLIENT_SECRET`.",
    "no single sign-on",
  ),
  PARLEY_OIDC_CLIENT_ID: doc(
    z.string().trim().min(1).optional(),
    "Single sign-on: the client id Parley is registered under at the provider.",
  ),
  PARLEY_OIDC_CLIENT_SECRET: doc(
    z.string().trim().min(1).optional(),
    "Single sign-on: that client's secret.",
  ),
  PARLEY_OIDC_NAME: doc(
    z.string().trim().min(1).max(40).default("SSO"),
    'Single sign-on: the provider\'s name on the sign-in button ("Sign in with <name>").',
  ),
  PARLEY_PASSWORD_LOGIN: doc(
    z.enum(["on", "off"], { message: "on or off" }).default("on"),
    "`off` turns email and password sign-in and sign-up off, leaving single sign-on (only with `PARLEY_OIDC_ISSUER` set).",
  ),
  LOG_LEVEL: doc(
    z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
    "One of `debug`, `info`, `warn`, `error`, `silent`. Logs are JSON lines.",
  ),
});

/** Variables read only as another's alias; their entry names them. */
const ALIASES = new Set(["NITRO_PORT", "NITRO_HOST"]);

/** What an unset variable means: the schema's own default, unless its entry says otherwise. */
function unsetText(type: z.ZodType, entry: EnvDoc): string {
  if (entry.unset !== undefined) return entry.unset;
  const parsed = type.safeParse(undefined);
  const value = parsed.success ? parsed.data : undefined;
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return "(none)";
  return `\`${String(value)}\``;
}

/**
 * Every environment variable Parley reads, in README order: name, default and meaning (Markdown),
 * computed from the schema above. `node scripts/env-table.ts` writes README's table from it.
 */
export const ENV_DOCS: readonly (readonly [name: string, unset: string, meaning: string])[] =
  Object.entries(schema.shape).flatMap(([name, type]) => {
    const entry = envDocs.get(type);
    if (!entry) {
      if (ALIASES.has(name)) return [];
      throw new Error(`src/env.ts: ${name} has no documentation (wrap its schema in doc())`);
    }
    return [[name, unsetText(type, entry), entry.meaning] as const];
  });

/** Where uploaded files' bytes live (src/server/files/open-blob-store.server.ts). */
export type FilesStoreConfig =
  | { kind: "fs"; dir: string }
  | {
      kind: "s3";
      bucket: string;
      /** Key prefix inside the bucket ("" or ending in "/"). */
      prefix: string;
      endpoint: string | undefined;
      region: string;
      forcePathStyle: boolean;
      credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
    };

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
    /** Connects set up at once (upgrade to ready); past it, 503. */
    pendingConnects: number;
    /** Event-loop lag past which connects get 503 (ms). */
    shedLagMs: number;
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
  /** Presence batching tick (PARLEY_PRESENCE_TICK_MS). */
  presenceTickMs: number;
  trustProxy: boolean;
  /** With trustProxy: how many X-Forwarded-For entries from the right our proxies wrote. */
  trustedProxyHops: number;
  metricsToken: string | undefined;
  headersTimeoutMs: number;
  /** Between websocket pings; two unanswered intervals cut the socket. */
  heartbeatMs: number;
  /** How often sockets are checked against their sessions (expiry, deleted rows). */
  sessionSweepMs: number;
  /** How often the retention sweep runs (issue 15). */
  retentionSweepMs: number;
  logLevel: z.infer<typeof schema>["LOG_LEVEL"];
  files: {
    store: FilesStoreConfig;
    /** Largest upload, bytes. */
    maxUploadBytes: number;
    /** Most bytes of files one user may have stored. */
    userQuotaBytes: number;
    /** How old an unclaimed upload gets before the sweep deletes it (ms). */
    unclaimedMs: number;
  };
  linkPreviews: {
    enabled: boolean;
    /** Hosts (lowercase, maybe with :port) allowed even on private addresses. */
    allowHosts: string[];
  };
  /** Issue 15: outgoing webhooks' deliveries. */
  webhooks: {
    /** Hosts (lowercase, maybe with :port) allowed even on private addresses. */
    allowHosts: string[];
    /** The first retry's wait; it doubles per failure (ms). */
    retryBaseMs: number;
    /** How long a receiver has to answer (ms). */
    timeoutMs: number;
  };
  /** Issue 15: custom slash commands (they share webhooks.allowHosts). */
  commands: {
    /** How long a command's service has to answer (ms). */
    timeoutMs: number;
  };
  /** Issue 14: how people sign in. */
  identity: {
    requireEmailVerification: boolean;
    /** Unset: no single sign-on. */
    oidc: { issuer: string; clientId: string; clientSecret: string; name: string } | undefined;
    /** False: email and password sign-in and sign-up are off (SSO only). */
    passwordLogin: boolean;
  };
  /** Issue 13: Web Push and missed-message email. */
  notifications: {
    /** Both keys, or neither (then generated into the data folder). */
    vapid: { publicKey: string; privateKey: string } | undefined;
    vapidSubject: string | undefined;
    /** Unset: no email. */
    smtpUrl: string | undefined;
    mailFrom: string | undefined;
    emailDelayMs: number;
  };
};

const MB = 1024 * 1024;

/** The file store the variables name: S3 for s3://, else a folder. */
function filesStore(value: z.infer<typeof schema>, dataDir: string): FilesStoreConfig {
  const url = value.PARLEY_FILES_URL;
  const s3 = url?.match(/^s3:\/\/([^/]+)(?:\/(.*))?$/);
  if (s3) {
    const rest = (s3[2] ?? "").replace(/^\/+|\/+$/g, "");
    const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = value;
    if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
      throw new ConfigError(
        "Invalid configuration:\n  AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: set both or neither",
      );
    }
    return {
      kind: "s3",
      // biome-ignore lint/style/noNonNullAssertion: the pattern's first group always matches
      bucket: s3[1]!,
      prefix: rest ? `${rest}/` : "",
      endpoint: value.PARLEY_S3_ENDPOINT,
      region: value.PARLEY_S3_REGION,
      forcePathStyle: value.PARLEY_S3_FORCE_PATH_STYLE,
      credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    };
  }
  const dir = url ? url.replace(/^file:\/\//, "") : `${dataDir.replace(/\/$/, "")}/files`;
  return { kind: "fs", dir };
}

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
    port: value.NITRO_PORT ?? value.PORT ?? DEFAULT_PORT,
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
      pendingConnects: value.PARLEY_MAX_PENDING_CONNECTS,
      shedLagMs: value.PARLEY_SHED_LAG_MS,
    },
    actionLimits: {
      roomsPerHour: value.PARLEY_ROOMS_PER_HOUR,
      dmsPerHour: value.PARLEY_DMS_PER_HOUR,
      invitesPerHour: value.PARLEY_INVITES_PER_HOUR,
      searchesPerSecond: value.PARLEY_SEARCHES_PER_SECOND,
      pagesPerSecond: value.PARLEY_PAGES_PER_SECOND,
    },
    presenceTtlMs: value.PARLEY_PRESENCE_TTL_SECONDS * 1000,
    presenceTickMs: value.PARLEY_PRESENCE_TICK_MS,
    trustProxy: value.PARLEY_TRUST_PROXY,
    trustedProxyHops: value.PARLEY_TRUSTED_PROXY_HOPS,
    metricsToken: value.PARLEY_METRICS_TOKEN,
    headersTimeoutMs: value.PARLEY_HEADERS_TIMEOUT_MS,
    heartbeatMs: value.PARLEY_HEARTBEAT_SECONDS * 1000,
    sessionSweepMs: value.PARLEY_SESSION_SWEEP_SECONDS * 1000,
    retentionSweepMs: value.PARLEY_RETENTION_SWEEP_SECONDS * 1000,
    logLevel: value.LOG_LEVEL,
    files: {
      store: filesStore(value, dataDir),
      maxUploadBytes: value.PARLEY_MAX_UPLOAD_MB * MB,
      userQuotaBytes: value.PARLEY_USER_QUOTA_MB * MB,
      unclaimedMs: Math.round(value.PARLEY_UNCLAIMED_FILE_HOURS * 3_600_000),
    },
    linkPreviews: {
      enabled: value.PARLEY_LINK_PREVIEWS === "on",
      allowHosts: value.PARLEY_LINK_PREVIEW_ALLOW_HOSTS,
    },
    webhooks: {
      allowHosts: value.PARLEY_WEBHOOK_ALLOW_HOSTS,
      retryBaseMs: value.PARLEY_WEBHOOK_RETRY_BASE_MS,
      timeoutMs: value.PARLEY_WEBHOOK_TIMEOUT_MS,
    },
    commands: { timeoutMs: value.PARLEY_COMMAND_TIMEOUT_MS },
    notifications: notificationsConfig(value),
    identity: identityConfig(value),
  };
}

/** The sign-in variables: the OIDC triple comes whole or not at all. */
function identityConfig(value: z.infer<typeof schema>): Config["identity"] {
  const issuer = value.PARLEY_OIDC_ISSUER;
  const clientId = value.PARLEY_OIDC_CLIENT_ID;
  const clientSecret = value.PARLEY_OIDC_CLIENT_SECRET;
  const set = [issuer, clientId, clientSecret].filter(Boolean).length;
  if (set !== 0 && set !== 3) {
    throw new ConfigError(
      "Invalid configuration:\n  PARLEY_OIDC_ISSUER, PARLEY_OIDC_CLIENT_ID and PARLEY_OIDC_CLIENT_SECRET: set all three or none",
    );
  }
  const passwordLogin = value.PARLEY_PASSWORD_LOGIN === "on";
  if (!passwordLogin && !issuer) {
    throw new ConfigError(
      "Invalid configuration:\n  PARLEY_PASSWORD_LOGIN=off needs PARLEY_OIDC_ISSUER: nobody could sign in",
    );
  }
  return {
    requireEmailVerification: value.PARLEY_REQUIRE_EMAIL_VERIFICATION,
    oidc:
      issuer && clientId && clientSecret
        ? { issuer, clientId, clientSecret, name: value.PARLEY_OIDC_NAME }
        : undefined,
    passwordLogin,
  };
}

/** The notification variables; the VAPID keys come as a pair or not at all. */
function notificationsConfig(value: z.infer<typeof schema>): Config["notifications"] {
  const { PARLEY_VAPID_PUBLIC_KEY: publicKey, PARLEY_VAPID_PRIVATE_KEY: privateKey } = value;
  if (Boolean(publicKey) !== Boolean(privateKey)) {
    throw new ConfigError(
      "Invalid configuration:\n  PARLEY_VAPID_PUBLIC_KEY and PARLEY_VAPID_PRIVATE_KEY: set both or neither",
    );
  }
  return {
    vapid: publicKey && privateKey ? { publicKey, privateKey } : undefined,
    vapidSubject: value.PARLEY_VAPID_SUBJECT,
    smtpUrl: value.SMTP_URL,
    mailFrom: value.PARLEY_MAIL_FROM,
    emailDelayMs: Math.round(value.PARLEY_EMAIL_DELAY_MINUTES * 60_000),
  };
}

let cached: Config | undefined;

/** The process's config, read once from process.env (the only reader of it). */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

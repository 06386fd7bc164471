import type { Kysely } from "kysely";
import { GENERAL_ROOM } from "../core/rooms";
import { type Config, getConfig } from "../env";
import type { BlobStore, PresenceLeases, Relay, Storage } from "../ports";
import { type AccountLocks, createAccountLocks } from "./auth/account-lock.server";
import { type Auth, createAuth } from "./auth/auth.server";
import { resolveAuthSecret } from "./auth/secret.server";
import { createEventBus, type EventBus } from "./events.server";
import { openBlobStore } from "./files/open-blob-store.server";
import { startFileSweep, uploadTempDir } from "./files/upload-sweep.server";
import { createServerLimits, type ServerLimits } from "./fns/limits.server";
import { createLogger, type Logger } from "./log.server";
import { createMailer, type Mailer } from "./mail/mailer.server";
import { createMetrics, type Metrics } from "./metrics.server";
import { createLocalPresence } from "./presence/local.server";
import { createRedisPresence } from "./presence/redis.server";
import { createLocalRelay } from "./relay/local.server";
import { createRedisRelay } from "./relay/redis.server";
import { startRetentionSweep } from "./retention/retention-sweep.server";
import { openDatabase } from "./storage/open-database.server";
import type { Database } from "./storage/schema.server";
import { createStorage } from "./storage/storage.server";

/** Everything the server side shares: built once per process from the config. */
export type Runtime = {
  config: Config;
  log: Logger;
  auth: Auth;
  /** The resolved auth secret: signs email unsubscribe tokens (absent in unit tests). */
  authSecret?: string;
  /** Outgoing mail over SMTP_URL, shared by missed-message email and auth (reset, verification); absent without SMTP. */
  mailer?: Mailer;
  /** Failed sign-ins per email (in the database, so every instance sees them). */
  accountLocks: AccountLocks;
  storage: Storage;
  /** The database behind storage and auth: the upgrade's session lookup reads it directly (absent in unit tests). */
  db?: Kysely<Database>;
  /** Uploaded files' bytes: a folder (the default) or S3 (PARLEY_FILES_URL). */
  blobs: BlobStore;
  events: EventBus;
  metrics: Metrics;
  /** Cross-instance fan-out: over Redis when REDIS_URL is set, else in-process (no one to tell). */
  relay: Relay;
  /** Who is online on any instance: in Redis with REDIS_URL, else in this process. */
  presence: PresenceLeases;
  /** Per-user limits on server functions and socket actions (this process's counters). */
  limits: ServerLimits;
};

// Nitro bundles server routes and TanStack Start's server functions
// separately, so a module-level singleton could exist twice; a global
// keyed by a registered symbol guarantees one database and one auth.
const key = Symbol.for("parley.runtime");
type Holder = { [key]?: Promise<Runtime> };

/** The process's runtime, composed on first use (the composition root). */
export function getRuntime(): Promise<Runtime> {
  const holder = globalThis as Holder;
  holder[key] ??= composeRuntime(getConfig()).catch((error) => {
    holder[key] = undefined;
    throw error;
  });
  return holder[key];
}

/** Picks drivers from the config, applies migrations and seeds "general". */
export async function composeRuntime(config: Config): Promise<Runtime> {
  const log = createLogger(config.logLevel);
  if (config.database.kind === "postgres" && !config.authSecret) {
    // Each instance would generate its own secret and refuse the others' sessions.
    log.warn("set BETTER_AUTH_SECRET to one value on every instance sharing the database");
  }
  if (config.database.kind === "postgres" && !config.notifications.vapid) {
    // Each instance would generate its own VAPID pair; a browser subscribed
    // through one would be refused by its push service when another signs.
    log.warn(
      "set PARLEY_VAPID_PUBLIC_KEY and PARLEY_VAPID_PRIVATE_KEY to one pair on every instance sharing the database",
    );
  }
  const secret = resolveAuthSecret(config.authSecret, config.dataDir, log);
  const database = openDatabase(config.database, log);
  const { db } = database;
  const smtpUrl = config.notifications.smtpUrl;
  const mailer = smtpUrl
    ? createMailer(
        { smtpUrl, mailFrom: config.notifications.mailFrom, publicUrl: config.publicUrl },
        log,
      )
    : undefined;
  const auth = createAuth({
    db: db as unknown as Kysely<never>,
    dialect: database.dialect,
    secret,
    allowedOrigins: config.allowedOrigins,
    publicUrl: config.publicUrl,
    attemptsPerMinute: config.authAttemptsPerMinute,
    config,
    log,
    mailer,
  });
  try {
    await database.migrate(auth);
  } catch (error) {
    await database.close();
    throw error;
  }
  const limits = createServerLimits(config.actionLimits);
  const storage = createStorage(database, { limits });
  await storage.rooms.ensureRoom(GENERAL_ROOM);
  log.info("storage ready", database.where);
  let blobs: BlobStore;
  try {
    blobs = await openBlobStore(config.files.store);
  } catch (error) {
    await storage.close();
    throw error;
  }
  log.info("file store ready", { where: blobs.where });
  // Uploads no message claimed are deleted after PARLEY_UNCLAIMED_FILE_HOURS.
  startFileSweep({
    storage,
    blobs,
    unclaimedMs: config.files.unclaimedMs,
    tempDir: uploadTempDir(config.dataDir),
    log,
  });
  // "Keep messages for N days": deletions are published through the
  // realtime runner (loaded when there is something to say: it needs this runtime).
  startRetentionSweep({
    db,
    blobs,
    log,
    everyMs: config.retentionSweepMs,
    publish: async (effects) => {
      const { getRealtime } = await import("./ws/realtime.server");
      await (await getRealtime()).runner.apply(effects);
    },
  });
  const relay = config.redisUrl
    ? createRedisRelay({
        url: config.redisUrl,
        onError: (error) => log.warn("relay trouble", { error: String(error) }),
      })
    : createLocalRelay();
  const presence = config.redisUrl
    ? createRedisPresence({
        url: config.redisUrl,
        onError: (error) => log.warn("presence trouble", { error: String(error) }),
      })
    : createLocalPresence();
  const events = createEventBus();
  const accountLocks = createAccountLocks(db as unknown as Kysely<unknown>, config.authLockMs);
  return {
    config,
    log,
    auth,
    authSecret: secret,
    mailer,
    accountLocks,
    storage,
    db,
    blobs,
    events,
    metrics: createMetrics(),
    relay,
    presence,
    limits,
  };
}

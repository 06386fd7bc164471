import type { Runtime } from "../runtime.server";
import { createEmailActivity } from "./activity.server";
import { createDigestWorker } from "./digest-worker.server";
import { createEmailChannel } from "./email-channel.server";

/** Absolute base of email links: PARLEY_PUBLIC_URL, else the address this server listens on. */
export function linkBase(config: Runtime["config"]): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/+$/, "");
  return `http://${config.host ?? "localhost"}:${config.port}`;
}

/**
 * Missed-message email when SMTP_URL is set (else undefined): the channel
 * the notifier queues into, the read hook that records activity (a device
 * channel of the notifier), and the worker that sends. Start and stop the
 * worker with the realtime side.
 */
export function createMissedEmail(runtime: Runtime) {
  const { config, db, log, authSecret, mailer } = runtime;
  // The runtime's one mailer (built when SMTP_URL is set), shared with auth.
  if (!mailer || !db || !authSecret) return undefined;
  const worker = createDigestWorker({
    db,
    mailer,
    log,
    delayMs: config.notifications.emailDelayMs,
    baseUrl: linkBase(config),
    secret: authSecret,
  });
  const channel = createEmailChannel({
    db,
    delayMs: config.notifications.emailDelayMs,
    queued: worker.queued,
  });
  log.info("missed-message email on", { smtp: mailer.where });
  return { channel, worker, activity: createEmailActivity(db) };
}

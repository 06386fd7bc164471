import { createECDH } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import webpush from "web-push";
import type { Config } from "../../env";
import type { Logger } from "../log.server";

/** The server's Web Push identity (RFC 8292): the key pair and the contact. */
export type Vapid = { publicKey: string; privateKey: string; subject: string };

/**
 * Whether these base64url keys are a P-256 pair: a 65-byte uncompressed
 * public key that the 32-byte private key derives. Checked at startup, so
 * a typo in the variables or a damaged file stops the server with a clear
 * message instead of failing every push later.
 */
function isKeyPair(publicKey: unknown, privateKey: unknown): boolean {
  if (typeof publicKey !== "string" || typeof privateKey !== "string") return false;
  const base64url = /^[A-Za-z0-9_-]+$/;
  if (!base64url.test(publicKey) || !base64url.test(privateKey)) return false;
  const pub = Buffer.from(publicKey, "base64url");
  const priv = Buffer.from(privateKey, "base64url");
  if (pub.length !== 65 || priv.length !== 32) return false;
  try {
    const ecdh = createECDH("prime256v1");
    ecdh.setPrivateKey(priv);
    return ecdh.getPublicKey().equals(pub);
  } catch {
    return false;
  }
}

/** The address inside a From such as `Parley <chat@example.com>` (or a bare address). */
function addressOf(from: string): string | undefined {
  const angled = /<([^<>\s]+@[^<>\s]+)>/.exec(from);
  if (angled) return angled[1];
  const bare = from.trim();
  return /^[^\s@<>]+@[^\s@<>]+$/.test(bare) ? bare : undefined;
}

/**
 * PARLEY_VAPID_SUBJECT, else mailto: the PARLEY_MAIL_FROM address, else the
 * public URL when it is https (push services accept only https: or mailto:),
 * else mailto:admin@localhost.
 */
export function vapidSubject(config: Pick<Config, "notifications" | "publicUrl">): string {
  const { vapidSubject: configured, mailFrom } = config.notifications;
  if (configured) return configured;
  const address = mailFrom ? addressOf(mailFrom) : undefined;
  if (address) return `mailto:${address}`;
  if (config.publicUrl?.startsWith("https://")) return new URL(config.publicUrl).origin;
  return "mailto:admin@localhost";
}

/**
 * The configured keys, or the pair kept in PARLEY_DATA_DIR/vapid.json, or a
 * new pair written there with mode 0600 on first run (like the auth secret):
 * the browsers' subscriptions are bound to the public key, so it must
 * survive restarts. A file that is not a valid pair is a startup error.
 */
export function resolveVapidKeys(
  config: Pick<Config, "notifications" | "dataDir">,
  log: Logger,
): { publicKey: string; privateKey: string } {
  const configured = config.notifications.vapid;
  if (configured) {
    if (!isKeyPair(configured.publicKey, configured.privateKey)) {
      throw new Error(
        "PARLEY_VAPID_PUBLIC_KEY and PARLEY_VAPID_PRIVATE_KEY are not one P-256 key pair in base64url (make one with `npx web-push generate-vapid-keys`)",
      );
    }
    return configured;
  }
  const file = join(config.dataDir, "vapid.json");
  const stored = readStored(file);
  if (stored) return stored;
  // The folder holds secrets: private to the owner whatever the umask.
  const created = mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  if (created) chmodSync(config.dataDir, 0o700);
  const keys = webpush.generateVAPIDKeys();
  try {
    writeFileSync(file, `${JSON.stringify(keys)}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    // Another process of this data folder made it first: theirs is the one.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      const theirs = readStored(file);
      if (theirs) return theirs;
    }
    throw error;
  }
  chmodSync(file, 0o600);
  log.info("generated Web Push VAPID keys", { file });
  return keys;
}

/** The pair in the file, undefined when there is no file; throws when it is damaged. */
function readStored(file: string): { publicKey: string; privateKey: string } | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let parsed: { publicKey?: unknown; privateKey?: unknown } | undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !isKeyPair(parsed.publicKey, parsed.privateKey)) {
    throw new Error(
      `${file} is not a valid VAPID key pair; restore it (browsers subscribed with its key) or delete it to have a new pair made (every device must then enable push again)`,
    );
  }
  return { publicKey: parsed.publicKey as string, privateKey: parsed.privateKey as string };
}

// The realtime side and the /api/push routes are bundled apart: one pair
// per process, resolved once, through a global keyed by a registered symbol.
const key = Symbol.for("parley.vapid");
type Holder = { [key]?: Vapid };

/** The process's VAPID details, resolved on first use (startup, via the realtime side). */
export function getVapid(
  config: Pick<Config, "notifications" | "dataDir" | "publicUrl">,
  log: Logger,
): Vapid {
  const holder = globalThis as Holder;
  holder[key] ??= { ...resolveVapidKeys(config, log), subject: vapidSubject(config) };
  return holder[key];
}

import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../log.server";

/**
 * The configured secret, or the one kept in the data folder, or a new one
 * written there with mode 0600 on first run (so sessions survive restarts).
 */
export function resolveAuthSecret(
  configured: string | undefined,
  dataDir: string,
  log: Logger,
): string {
  if (configured) return configured;
  const file = join(dataDir, "auth-secret");
  try {
    const stored = readFileSync(file, "utf8").trim();
    if (stored.length >= 32) return stored;
    throw new Error(`${file} holds fewer than 32 characters; delete it to have a new one made`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  // The folder holds secrets: private to the owner whatever the umask.
  const created = mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (created) chmodSync(dataDir, 0o700);
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(file, 0o600);
  log.info("generated BETTER_AUTH_SECRET", { file });
  return secret;
}

import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { BlobStore, Storage } from "../../ports";
import type { Logger } from "../log.server";

/** Where uploads are spooled while they arrive: under the data dir, never in memory. */
export const uploadTempDir = (dataDir: string) => join(dataDir, "upload-tmp");

/** Rows one sweep pass deletes at most before it looks again (bounded transactions). */
const SWEEP_BATCH = 500;
const HOUR = 3_600_000;

/**
 * How often the sweep runs: hourly, or four times per allowed age when
 * that is shorter (a test's fraction of an hour), never more than once a
 * second.
 */
export const sweepEveryMs = (unclaimedMs: number) =>
  Math.max(1_000, Math.min(HOUR, Math.floor(unclaimedMs / 4)));

/**
 * Deletes uploads that no message claimed within `unclaimedMs`: rows first
 * (so a send racing the sweep either claimed the file already, and keeps
 * it, or finds it gone and is refused), then their blobs. Also removes
 * spooled upload files left in `tempDir` by a process that died mid-upload.
 * Any instance may sweep: the row delete decides who removes which blobs.
 */
export async function sweepUnclaimedFiles(deps: {
  storage: Storage;
  blobs: BlobStore;
  unclaimedMs: number;
  tempDir: string;
  now?: number;
}): Promise<number> {
  const now = deps.now ?? Date.now();
  let removed = 0;
  for (;;) {
    const rows = await deps.storage.files.sweepUnclaimed(now - deps.unclaimedMs, SWEEP_BATCH);
    await Promise.all(
      rows.flatMap((row) => [
        deps.blobs.delete(row.blobKey),
        ...(row.thumbKey ? [deps.blobs.delete(row.thumbKey)] : []),
      ]),
    );
    removed += rows.length;
    if (rows.length < SWEEP_BATCH) break;
  }
  await removeStaleSpools(deps.tempDir, now - Math.max(deps.unclaimedMs, HOUR));
  return removed;
}

/** Spool files older than `before` (no upload takes an hour): left by a crash. */
async function removeStaleSpools(dir: string, before: number): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (info && info.mtimeMs < before) await rm(path, { force: true });
  }
}

/** Runs the sweep every sweepEveryMs (unref'd: it never keeps the process up); returns stop. */
export function startFileSweep(deps: {
  storage: Storage;
  blobs: BlobStore;
  unclaimedMs: number;
  tempDir: string;
  log: Logger;
}): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweepUnclaimedFiles(deps)
      .then((removed) => {
        if (removed > 0) deps.log.info("unclaimed files swept", { removed });
      })
      .catch((error: unknown) => deps.log.warn("file sweep failed", { error: String(error) }))
      .finally(() => {
        running = false;
      });
  }, sweepEveryMs(deps.unclaimedMs));
  timer.unref();
  return () => clearInterval(timer);
}

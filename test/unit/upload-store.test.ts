import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import type { BlobStore, FileStore, NewFile, StoredFile } from "../../src/ports";
import { createFsBlobStore } from "../../src/server/files/fs-blob-store.server";
import { storeUpload } from "../../src/server/files/upload-store.server";
import { sweepUnclaimedFiles } from "../../src/server/files/upload-sweep.server";

/** A row store in memory; `failCreate` makes create throw (the database refusing). */
function memoryFiles(options: { failCreate?: boolean } = {}) {
  const rows = new Map<string, StoredFile>();
  const files: FileStore = {
    async create(file: NewFile) {
      if (options.failCreate) throw new Error("database down");
      const row: StoredFile = {
        ...file,
        purpose: file.purpose ?? "attachment",
        createdAt: 1,
        roomId: null,
        messageId: null,
      };
      rows.set(row.id, row);
      return row;
    },
    async get(id) {
      return rows.get(id);
    },
    async storedBytes() {
      return 0;
    },
    async visibleTo() {
      return undefined;
    },
    async sweepUnclaimed(before, limit) {
      const due = [...rows.values()]
        .filter((row) => row.messageId === null && row.createdAt < before)
        .slice(0, limit);
      for (const row of due) rows.delete(row.id);
      return due;
    },
  };
  return { files, rows };
}

/** A folder blob store whose puts of thumbnails fail (a full disk, a refusing bucket). */
function blobsFailingThumbs(dir: string): BlobStore {
  const real = createFsBlobStore(dir);
  return {
    ...real,
    async put(key, body, info) {
      if (key.startsWith("thumbs/")) throw new Error("disk full");
      return real.put(key, body, info);
    },
  };
}

const blobFiles = (dir: string) =>
  ["files", "thumbs"].flatMap((folder) => {
    try {
      return readdirSync(join(dir, folder));
    } catch {
      return [];
    }
  });

async function spooledPng() {
  const dir = mkdtempSync(join(tmpdir(), "parley-spool-"));
  const spool = join(dir, "upload");
  const png = await sharp({ create: { width: 50, height: 50, channels: 3, background: "#f0f" } })
    .png()
    .toBuffer();
  writeFileSync(spool, png);
  return { spool, cleaned: `${spool}.clean`, head: png.subarray(0, 4096) };
}

describe("storeUpload", () => {
  it("stores the blobs and the row of an image", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-blobs-"));
    const { files, rows } = memoryFiles();
    const stored = await storeUpload(
      { storage: { files }, blobs: createFsBlobStore(dir) },
      { uploaderId: "u", name: "a.png", ...(await spooledPng()) },
    );
    expect(stored).toMatchObject({ contentType: "image/png", width: 50, height: 50 });
    expect(rows.size).toBe(1);
    expect(blobFiles(dir)).toEqual([stored.id, stored.id]);
  });

  it("removes the file's blob when the thumbnail cannot be stored", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-blobs-"));
    const { files, rows } = memoryFiles();
    await expect(
      storeUpload(
        { storage: { files }, blobs: blobsFailingThumbs(dir) },
        { uploaderId: "u", name: "a.png", ...(await spooledPng()) },
      ),
    ).rejects.toThrow("disk full");
    expect(rows.size).toBe(0);
    expect(blobFiles(dir)).toEqual([]);
  });

  it("removes both blobs when the row cannot be written", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-blobs-"));
    const { files } = memoryFiles({ failCreate: true });
    await expect(
      storeUpload(
        { storage: { files }, blobs: createFsBlobStore(dir) },
        { uploaderId: "u", name: "a.png", ...(await spooledPng()) },
      ),
    ).rejects.toThrow("database down");
    expect(blobFiles(dir)).toEqual([]);
  });
});

describe("sweepUnclaimedFiles", () => {
  it("deletes every due row's blobs, batch after batch, and stale spools", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-blobs-"));
    const tempDir = mkdtempSync(join(tmpdir(), "parley-spools-"));
    const blobs = createFsBlobStore(dir);
    const { files, rows } = memoryFiles();
    const count = 1203; // more than two batches of 500
    for (let i = 0; i < count; i++) {
      const id = `f${i}`;
      await blobs.put(`files/${id}`, Readable.from([Buffer.from("x")]), {
        contentType: "text/plain",
      });
      await files.create({
        id,
        uploaderId: "u",
        name: "x",
        size: 1,
        contentType: "text/plain",
        blobKey: `files/${id}`,
        thumbKey: null,
        width: null,
        height: null,
      });
    }
    writeFileSync(join(tempDir, "stale"), "left by a crash");
    const removed = await sweepUnclaimedFiles({
      storage: { files },
      blobs,
      unclaimedMs: 1,
      tempDir,
      now: Date.now() + 2 * 3_600_000,
    });
    expect(removed).toBe(count);
    expect(rows.size).toBe(0);
    expect(blobFiles(dir)).toEqual([]);
    expect(readdirSync(tempDir)).toEqual([]);
  });
});

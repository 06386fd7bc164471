import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { access, constants, mkdir, rename, rm, stat, unlink } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { BlobStore, ByteRange } from "../../ports";

/** Keys are Parley's own (ids and `/`); anything else is a bug, never a path. */
const KEY = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;

/**
 * Blobs as files under one folder (PARLEY_DATA_DIR/files by default). A put
 * streams into a temporary file in the same folder tree and renames it into
 * place once whole, so a reader never sees part of a blob and a cut upload
 * leaves nothing under its key. Several instances may share the folder (NFS
 * and friends) because a rename within one filesystem is atomic.
 */
export function createFsBlobStore(dir: string): BlobStore {
  const root = resolve(dir);
  const tmp = join(root, ".tmp");
  const pathOf = (key: string) => {
    if (!KEY.test(key)) throw new Error(`blob key ${JSON.stringify(key)} is not one Parley makes`);
    return join(root, key);
  };
  return {
    where: root,
    async put(key, body) {
      const target = pathOf(key);
      await mkdir(tmp, { recursive: true });
      await mkdir(dirname(target), { recursive: true });
      const partial = join(tmp, randomUUID());
      let size = 0;
      const count = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          done(null, chunk);
        },
      });
      try {
        await pipeline(Readable.from(body), count, createWriteStream(partial, { flags: "wx" }));
        await rename(partial, target);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
      return { size };
    },
    async get(key, range?: ByteRange) {
      const path = pathOf(key);
      const found = await stat(path).catch(missing);
      if (!found?.isFile()) return undefined;
      const size = found.size;
      const options = range ? { start: range.start, end: Math.min(range.end, size - 1) } : {};
      const stream = createReadStream(path, options);
      return { body: Readable.toWeb(stream) as ReadableStream<Uint8Array>, size };
    },
    async stat(key) {
      const found = await stat(pathOf(key)).catch(missing);
      // A key's parent is a folder here (a/b holds a/b/c), never a blob.
      return found?.isFile() ? { size: found.size } : undefined;
    },
    async delete(key) {
      await unlink(pathOf(key)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ENOENT") throw error;
      });
    },
    async check() {
      try {
        await mkdir(tmp, { recursive: true });
        await access(root, constants.W_OK | constants.R_OK);
      } catch (error) {
        throw new Error(
          `The file store folder ${root} cannot be used (${(error as Error).message}); set PARLEY_FILES_URL to a writable folder or an s3:// bucket`,
        );
      }
    },
  };
}

/** undefined for a missing file; every other error is real. */
function missing(error: NodeJS.ErrnoException): undefined {
  if (error.code === "ENOENT") return undefined;
  throw error;
}

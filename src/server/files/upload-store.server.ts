import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { INLINE_IMAGE_TYPES } from "../../core/files/file-names";
import type { BlobStore, Storage, StoredFile } from "../../ports";
import { processImage } from "./image.server";
import { nudged } from "./upload-memory.server";
import { sniffType } from "./upload-sniff.server";

/** An id nobody can guess: 128 random bits, base64url (22 characters). */
export const newFileId = () => randomBytes(16).toString("base64url");

/**
 * Sniffs a spooled upload, cleans and thumbnails it when it is a decodable
 * image, puts its blobs and writes its row. A failure after a blob was put
 * removes the blobs again, so nothing is left that no row names.
 */
export async function storeUpload(
  runtime: { storage: Pick<Storage, "files">; blobs: BlobStore },
  upload: {
    uploaderId: string;
    name: string;
    spool: string;
    cleaned: string;
    head: Uint8Array;
  },
): Promise<StoredFile> {
  const { storage, blobs } = runtime;
  const sniffed = await sniffType(upload.spool, upload.head);
  const image = INLINE_IMAGE_TYPES.has(sniffed)
    ? await processImage(upload.spool, upload.cleaned, sniffed)
    : undefined;
  // An "image" sharp cannot decode is kept as a plain file: a download, never shown inline.
  const contentType =
    INLINE_IMAGE_TYPES.has(sniffed) && !image ? "application/octet-stream" : sniffed;
  const id = newFileId();
  const blobKey = `files/${id}`;
  const thumbKey = image ? `thumbs/${id}` : null;
  try {
    const { size } = await blobs.put(
      blobKey,
      nudged(createReadStream(image ? upload.cleaned : upload.spool)),
      { contentType },
    );
    if (image && thumbKey) {
      await blobs.put(thumbKey, Readable.from([image.thumb]), { contentType: image.thumbType });
    }
    return await storage.files.create({
      id,
      uploaderId: upload.uploaderId,
      name: upload.name,
      size,
      contentType,
      blobKey,
      thumbKey,
      width: image?.width ?? null,
      height: image?.height ?? null,
    });
  } catch (error) {
    await Promise.allSettled([blobs.delete(blobKey), thumbKey ? blobs.delete(thumbKey) : null]);
    throw error;
  }
}

/**
 * A preview's image: fetched by the server under the same guard as the page
 * (no client ever loads it from the other site), only as an image type and
 * up to IMAGE_MAX_BYTES, then re-encoded with sharp to at most 400 px WebP
 * (which drops EXIF and any payload riding in the original) and stored
 * through the BlobStore. The file row is written with the preview, in its
 * transaction (MessageStore.attachPreview).
 */
import { randomUUID } from "node:crypto";
import sharp from "sharp";
import type { BlobStore, PreviewImage } from "../../ports";
import type { WireFile } from "../../protocol/frames";
import { type GuardOptions, guardedGet } from "./guarded-fetch.server";

export const IMAGE_MAX_BYTES = 5 * 1024 * 1024;
export const IMAGE_MAX_PX = 400;
/** Decoded pixels at most: a tiny file can claim a huge canvas (a decompression bomb). */
const MAX_INPUT_PIXELS = 40_000_000;
const IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];

export type StoredImage = { row: PreviewImage; file: WireFile };

/** Fetches, shrinks and stores the image; a reason when it could not be used. */
export async function storePreviewImage(
  imageUrl: string,
  uploaderId: string,
  deps: { blobs: BlobStore; guard: Omit<GuardOptions, "accept" | "maxBytes"> },
): Promise<StoredImage | { reason: string }> {
  const fetched = await guardedGet(imageUrl, {
    ...deps.guard,
    accept: IMAGE_TYPES,
    maxBytes: IMAGE_MAX_BYTES,
  });
  if (!fetched.ok) return { reason: `image: ${fetched.reason}` };
  let output: { data: Buffer; info: { width: number; height: number } };
  try {
    output = await sharp(fetched.body, { limitInputPixels: MAX_INPUT_PIXELS })
      .rotate() // EXIF orientation applied before the metadata goes
      .resize(IMAGE_MAX_PX, IMAGE_MAX_PX, { fit: "inside", withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    return { reason: `image: not decodable (${(error as Error).message})` };
  }
  const id = randomUUID();
  const blobKey = `previews/${id}`;
  const { size } = await deps.blobs.put(blobKey, oneChunk(output.data), {
    contentType: "image/webp",
  });
  const { width, height } = output.info;
  const name = "preview.webp";
  return {
    row: { id, uploaderId, name, size, contentType: "image/webp", blobKey, width, height },
    file: { id, name, size, type: "image/webp", image: true, width, height },
  };
}

async function* oneChunk(data: Buffer): AsyncIterable<Uint8Array> {
  yield data;
}

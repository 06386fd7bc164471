import { randomBytes, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { megabytes, sanitizeFileName } from "../../core/files/file-names";
import type { BlobStore, Storage } from "../../ports";
import { sessionUser } from "../auth/auth.server";
import { lingerThenCut } from "../body-limit";
import type { Runtime } from "../runtime.server";
import { toWireFile } from "../storage/file-store.server";
import { processImage } from "./image.server";
import { jsonAnswer, refuse, signedInFromOwnOrigin } from "./upload-http.server";
import { sniffType, TEXT_SAMPLE } from "./upload-sniff.server";
import { uploadTempDir } from "./upload-sweep.server";

type UploadRuntime = Pick<Runtime, "config" | "auth" | "storage" | "blobs" | "log">;

const tooLarge = (limit: number) =>
  refuse(413, "too_large", `Files can be at most ${megabytes(limit)}.`);

const overQuota = (quota: number) =>
  refuse(
    413,
    "over_quota",
    `This file would take you past your ${megabytes(quota)} of files. Delete messages with files you no longer need, then try again.`,
  );

/** A refusal sent before the body was read in full: the rest is dropped, then the connection cut. */
function cutShort(request: Request, answer: Response): Response {
  // This connection carries no further request: the unread body is in the way.
  answer.headers.set("connection", "close");
  lingerThenCut(request, answer.headers);
  return answer;
}

/**
 * POST /api/files?name=<file name>: the body is the file's bytes. Checks the
 * Origin and the session, refuses a declared length over the limit before
 * reading, spools the body to a temporary file while counting it (413 as
 * soon as it passes the limit), sniffs its type, cleans and thumbnails an
 * image, stores the blobs and writes the file row, unclaimed. 201 with
 * `{ file: WireFile }`. Every refusal leaves nothing stored.
 */
export async function handleUpload(runtime: UploadRuntime, request: Request): Promise<Response> {
  const { config, storage } = runtime;
  const { maxUploadBytes, userQuotaBytes } = config.files;
  if (request.method !== "POST") {
    return jsonAnswer(405, { error: "method", message: "Upload with POST." }, { allow: "POST" });
  }
  const gate = await signedInFromOwnOrigin(runtime, request, (headers) =>
    sessionUser(runtime.auth, headers),
  );
  if (gate instanceof Response) return cutShort(request, gate);
  const user = gate;
  const name = sanitizeFileName(new URL(request.url).searchParams.get("name") ?? "");

  const declared = request.headers.get("content-length");
  const declaredBytes = declared !== null && /^\d+$/.test(declared) ? Number(declared) : undefined;
  if (declaredBytes !== undefined && declaredBytes > maxUploadBytes) {
    return cutShort(request, tooLarge(maxUploadBytes));
  }
  const used = await storage.files.storedBytes(user.id);
  if (used + (declaredBytes ?? 0) > userQuotaBytes || used >= userQuotaBytes) {
    return cutShort(request, overQuota(userQuotaBytes));
  }

  const tempDir = uploadTempDir(config.dataDir);
  await mkdir(tempDir, { recursive: true });
  const spool = join(tempDir, randomUUID());
  const cleaned = `${spool}.clean`;
  try {
    const spooled = await spoolBody(request, spool, maxUploadBytes);
    if (spooled === "too_large") return cutShort(request, tooLarge(maxUploadBytes));
    if (spooled === "cut") return refuse(400, "cut", "The upload was cut off before its end.");
    // Quota again with the real size (a chunked body declares none).
    if ((await storage.files.storedBytes(user.id)) + spooled.size > userQuotaBytes) {
      return overQuota(userQuotaBytes);
    }
    const stored = await storeUpload(runtime, {
      uploaderId: user.id,
      name,
      spool,
      cleaned,
      head: spooled.head,
      size: spooled.size,
    });
    runtime.log.info("file uploaded", {
      user: user.id,
      file: stored.id,
      size: stored.size,
      type: stored.contentType,
    });
    return jsonAnswer(201, { file: toWireFile(stored) });
  } finally {
    await Promise.all([rm(spool, { force: true }), rm(cleaned, { force: true })]);
  }
}

/**
 * Copies the request body into `path` with backpressure, counting bytes,
 * and keeps its first TEXT_SAMPLE bytes for the text check. "too_large" as
 * soon as the count passes `limit` (the reader is released, not cancelled,
 * so the 413 can still reach the client); "cut" when the client went away.
 */
async function spoolBody(
  request: Request,
  path: string,
  limit: number,
): Promise<{ size: number; head: Uint8Array } | "too_large" | "cut"> {
  const out = createWriteStream(path, { flags: "wx" });
  const head = new Uint8Array(TEXT_SAMPLE);
  let headSize = 0;
  let size = 0;
  const reader = request.body?.getReader();
  try {
    for (;;) {
      if (!reader) break;
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch {
        return "cut";
      }
      if (next.done) break;
      const chunk = next.value;
      size += chunk.byteLength;
      if (size > limit) {
        reader.releaseLock();
        return "too_large";
      }
      if (headSize < TEXT_SAMPLE) {
        const part = chunk.subarray(0, TEXT_SAMPLE - headSize);
        head.set(part, headSize);
        headSize += part.byteLength;
      }
      if (!out.write(chunk)) await drained(out);
    }
    await closed(out);
    return { size, head: head.subarray(0, headSize) };
  } finally {
    if (!out.closed) out.destroy();
  }
}

const drained = (out: WriteStream) =>
  new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    out.once("error", onError);
    out.once("drain", () => {
      out.off("error", onError);
      resolve();
    });
  });

const closed = (out: WriteStream) =>
  new Promise<void>((resolve, reject) => {
    out.once("error", reject);
    out.end(() => resolve());
  });

/** An id nobody can guess: 128 random bits, base64url (22 characters). */
export const newFileId = () => randomBytes(16).toString("base64url");

/**
 * Sniffs a spooled upload, cleans and thumbnails it when it is a decodable
 * image, puts its blobs and writes its row. A failure after a blob was put
 * removes the blobs again, so nothing is left that no row names.
 */
async function storeUpload(
  runtime: { storage: Storage; blobs: BlobStore },
  upload: {
    uploaderId: string;
    name: string;
    spool: string;
    cleaned: string;
    head: Uint8Array;
    size: number;
  },
) {
  const { storage, blobs } = runtime;
  const contentType = await sniffType(upload.spool, upload.head);
  const image = /^image\/(png|jpeg|gif|webp)$/.test(contentType)
    ? await processImage(upload.spool, upload.cleaned, contentType)
    : undefined;
  const id = newFileId();
  const blobKey = `files/${id}`;
  const thumbKey = image ? `thumbs/${id}` : null;
  try {
    const { size } = await blobs.put(
      blobKey,
      createReadStream(image ? upload.cleaned : upload.spool),
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

import { randomUUID } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { join } from "node:path";
import { megabytes, sanitizeFileName } from "../../core/files/file-names";
import { sessionUser } from "../auth/auth.server";
import { lingerThenCut } from "../body-limit";
import type { Runtime } from "../runtime.server";
import { toWireFile } from "../storage/file-store.server";
import { jsonAnswer, nodeRequestOf, refuse, signedInFromOwnOrigin } from "./upload-http.server";
import { memoryNudge } from "./upload-memory.server";
import { TEXT_SAMPLE } from "./upload-sniff.server";
import { storeUpload } from "./upload-store.server";
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
    }).catch((error: unknown) => {
      runtime.log.error("file upload failed", { user: user.id, error: String(error) });
      return undefined;
    });
    if (!stored) {
      return refuse(500, "store_failed", "The file could not be stored. Try again in a moment.");
    }
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
 * soon as the count passes `limit` (the body is left for lingerThenCut to
 * drop, not cancelled, so the 413 can still reach the client); "cut" when
 * the client went away. On Node it reads the IncomingMessage itself: the
 * web stream over it costs a promise and a wrapper per chunk, which showed
 * as about 10 MB more resident memory during a 100 MB upload.
 */
async function spoolBody(
  request: Request,
  path: string,
  limit: number,
): Promise<{ size: number; head: Uint8Array } | "too_large" | "cut"> {
  const out = createWriteStream(path, { flags: "wx" });
  // Listened to for the stream's whole life: a write failing after the
  // spool was given up (the client cancelled, the stream is being
  // destroyed) must not be an unhandled 'error', which ends the process.
  // Failures while spooling are seen by the listeners below.
  out.on("error", () => {});
  const head = new Uint8Array(TEXT_SAMPLE);
  let headSize = 0;
  let size = 0;
  const nudge = memoryNudge();
  /** Counts a chunk and keeps the head; false once over the limit. */
  const take = (chunk: Uint8Array) => {
    size += chunk.byteLength;
    nudge(chunk.byteLength);
    if (size > limit) return false;
    if (headSize < TEXT_SAMPLE) {
      const part = chunk.subarray(0, TEXT_SAMPLE - headSize);
      head.set(part, headSize);
      headSize += part.byteLength;
    }
    return true;
  };
  try {
    const node = nodeRequestOf(request);
    const result = node ? await spoolNode(node, out, take) : await spoolWeb(request, out, take);
    if (result !== "done") return result;
    await closed(out);
    return { size, head: head.subarray(0, headSize) };
  } finally {
    if (!out.closed) out.destroy();
  }
}

type Taker = (chunk: Uint8Array) => boolean;

function spoolNode(
  node: IncomingMessage,
  out: WriteStream,
  take: Taker,
): Promise<"done" | "too_large" | "cut"> {
  return new Promise((resolve) => {
    const finish = (result: "done" | "too_large" | "cut") => {
      node.off("data", onData);
      node.off("end", onEnd);
      node.off("close", onClose);
      out.off("error", onError);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      if (out.destroyed) return;
      if (!take(chunk)) {
        // Paused, not destroyed: the 413 goes out first, then lingerThenCut ends the connection.
        node.pause();
        finish("too_large");
        return;
      }
      if (!out.write(chunk)) {
        node.pause();
        out.once("drain", () => node.resume());
      }
    };
    const onEnd = () => finish("done");
    const onClose = () => {
      if (!node.complete) finish("cut");
    };
    const onError = () => finish("cut");
    node.on("data", onData);
    node.once("end", onEnd);
    node.once("close", onClose);
    // A client that hangs up mid-body is an "aborted" error on the request,
    // now or after a refusal (lingerThenCut): never left without a listener,
    // which would end the process.
    node.on("error", onError);
    out.once("error", onError);
  });
}

/** Off Node (no IncomingMessage): the same over the web stream. */
async function spoolWeb(
  request: Request,
  out: WriteStream,
  take: Taker,
): Promise<"done" | "too_large" | "cut"> {
  const reader = request.body?.getReader();
  if (!reader) return "done";
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await reader.read();
    } catch {
      return "cut";
    }
    if (next.done) return "done";
    if (!take(next.value)) {
      reader.releaseLock();
      return "too_large";
    }
    if (!out.write(next.value)) await drained(out);
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

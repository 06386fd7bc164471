import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { fileTypeFromBuffer } from "file-type";
import sharp from "sharp";
import {
  AVATAR_MAX_BYTES,
  AVATAR_NOT_IMAGE,
  AVATAR_SIDE,
  AVATAR_TOO_LARGE,
  AVATAR_TYPES,
  AVATAR_UNREADABLE,
} from "../../core/profile-details";
import { sessionUser } from "../auth/auth.server";
import { lingerThenCut, readCapped } from "../body-limit";
import type { Runtime } from "../runtime.server";
import { FILE_SECURITY_HEADERS } from "../security-headers";
import { avatarVersion } from "../storage/profile-details-store.server";
import { MAX_IMAGE_PIXELS } from "./image.server";
import { jsonAnswer, refuse, signedInFromOwnOrigin } from "./upload-http.server";

type AvatarRuntime = Pick<Runtime, "config" | "auth" | "storage" | "blobs" | "log">;

const WORDS = {
  origin: "Avatars are accepted from this app's own pages only.",
  session: "Sign in to change your avatar.",
};

/**
 * POST /api/avatar (the body is the picture's bytes) and DELETE /api/avatar.
 * The gate of uploads (own Origin, a session), then at most
 * AVATAR_MAX_BYTES (413, before reading when the length is declared), a
 * type found from the bytes (415 for anything but PNG, JPEG, WebP or GIF),
 * and a decode by sharp, which makes the stored blob: a square
 * AVATAR_SIDE px WebP, upright, with no metadata (an animated GIF keeps its
 * first frame). The old blob goes once the new key is stored. 200 with
 * `{ avatar }` (the new version, null after DELETE).
 */
export async function handleAvatar(runtime: AvatarRuntime, request: Request): Promise<Response> {
  if (request.method !== "POST" && request.method !== "DELETE") {
    return jsonAnswer(
      405,
      { error: "method", message: "Upload with POST, remove with DELETE." },
      { allow: "POST, DELETE" },
    );
  }
  const gate = await signedInFromOwnOrigin(
    runtime,
    request,
    (headers) => sessionUser(runtime.auth, headers),
    WORDS,
  );
  if (gate instanceof Response) {
    if (request.method === "POST") lingerThenCut(request, gate.headers);
    return gate;
  }
  const user = gate;
  if (request.method === "DELETE") {
    const changed = await runtime.storage.profiles.setAvatar(user.id, null);
    if (!changed.ok) return refuse(404, "not_found", "This account is no longer there.");
    if (changed.previous) await dropBlob(runtime, changed.previous);
    return jsonAnswer(200, { avatar: null });
  }

  const body = await readCapped(request, AVATAR_MAX_BYTES);
  if (body === null) {
    const answer = refuse(413, "too_large", AVATAR_TOO_LARGE);
    lingerThenCut(request, answer.headers);
    return answer;
  }
  const found = await fileTypeFromBuffer(body).catch(() => undefined);
  if (!found || !(AVATAR_TYPES as readonly string[]).includes(found.mime)) {
    return refuse(415, "not_image", AVATAR_NOT_IMAGE);
  }
  let picture: Buffer;
  try {
    picture = await sharp(body, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: "error" })
      .autoOrient()
      .resize(AVATAR_SIDE, AVATAR_SIDE, { fit: "cover" })
      .webp({ quality: 85 })
      .toBuffer();
  } catch {
    return refuse(415, "unreadable", AVATAR_UNREADABLE);
  }
  const key = `avatars/${randomUUID()}`;
  try {
    await runtime.blobs.put(key, Readable.from([picture]), { contentType: "image/webp" });
  } catch (error) {
    runtime.log.error("avatar store failed", { user: user.id, error: String(error) });
    return refuse(500, "store_failed", "The picture could not be stored. Try again in a moment.");
  }
  const changed = await runtime.storage.profiles.setAvatar(user.id, key);
  if (!changed.ok) {
    await dropBlob(runtime, key);
    return refuse(404, "not_found", "This account is no longer there.");
  }
  if (changed.previous) await dropBlob(runtime, changed.previous);
  runtime.log.info("avatar set", { user: user.id, size: picture.byteLength });
  return jsonAnswer(200, { avatar: avatarVersion(key) });
}

async function dropBlob(runtime: AvatarRuntime, key: string): Promise<void> {
  await runtime.blobs.delete(key).catch((error: unknown) => {
    runtime.log.warn("old avatar not removed", { key, error: String(error) });
  });
}

function notFound(): Response {
  return new Response("Not found", {
    status: 404,
    headers: {
      ...FILE_SECURITY_HEADERS,
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "no-store",
    },
  });
}

/**
 * GET /avatars/<user id>?v=<version>: the user's avatar, to anyone signed
 * in (404 otherwise, and for no avatar). A URL names one version, so it
 * may be kept a long time; a stale `v` still gets the current picture
 * with a short life.
 */
export async function serveAvatar(
  runtime: Pick<Runtime, "auth" | "storage" | "blobs">,
  request: Request,
  userId: string,
): Promise<Response> {
  if (request.method !== "GET" && request.method !== "HEAD") {
    return new Response(null, {
      status: 405,
      headers: { ...FILE_SECURITY_HEADERS, allow: "GET, HEAD" },
    });
  }
  const viewer = await sessionUser(runtime.auth, request.headers);
  if (!viewer) return notFound();
  const key = await runtime.storage.profiles.avatarKey(userId);
  if (!key) return notFound();
  const version = avatarVersion(key);
  const etag = `"${version}"`;
  const asked = new URL(request.url).searchParams.get("v");
  const headers: Record<string, string> = {
    ...FILE_SECURITY_HEADERS,
    etag,
    "content-type": "image/webp",
    "content-disposition": "inline",
    "cache-control": asked === version ? "private, max-age=86400, immutable" : "private, no-cache",
  };
  if (request.headers.get("if-none-match") === etag) {
    return new Response(null, { status: 304, headers });
  }
  const blob = await runtime.blobs.get(key);
  if (!blob) return notFound();
  headers["content-length"] = String(blob.size);
  if (request.method === "HEAD") {
    await blob.body.cancel();
    return new Response(null, { status: 200, headers });
  }
  return new Response(blob.body, { status: 200, headers });
}

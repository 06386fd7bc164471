import { etagMatches, parseRange } from "../../core/files/byte-range";
import { contentDisposition, INLINE_IMAGE_TYPES } from "../../core/files/file-names";
import type { StoredFile } from "../../ports";
import { sessionUser } from "../auth/auth.server";
import type { Runtime } from "../runtime.server";
import { FILE_SECURITY_HEADERS } from "../security-headers";

/**
 * How long a browser may reuse a file without asking (seconds). Short: a
 * deleted message's file, or one of a room the user left, should stop
 * showing soon; the ETag makes asking again cheap (304).
 */
export const FILE_MAX_AGE = 600;

type ServeRuntime = Pick<Runtime, "auth" | "storage" | "blobs">;

/** 404, the same for a file that does not exist and one this user may not see. */
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

/** Inline only for a decoded PNG, JPEG, GIF or WebP; everything else (SVG, HTML) downloads. */
const shownInline = (file: StoredFile) =>
  INLINE_IMAGE_TYPES.has(file.contentType) && file.width !== null;

/**
 * GET /files/<id>/<name> (`?thumb=1` for an image's thumbnail). The check
 * of who may see it comes first, before any conditional or range header is
 * looked at: a member of the room of the message that carries it (the
 * message not deleted), or its uploader while no message has claimed it;
 * 404 for everyone else, as for a private room. The name in the path is
 * for the browser's sake only: the id finds the file.
 */
export async function serveFile(
  runtime: ServeRuntime,
  request: Request,
  id: string,
): Promise<Response> {
  if (request.method !== "GET" && request.method !== "HEAD") {
    return new Response(null, {
      status: 405,
      headers: { ...FILE_SECURITY_HEADERS, allow: "GET, HEAD" },
    });
  }
  const user = await sessionUser(runtime.auth, request.headers);
  if (!user) return notFound();
  const file = await runtime.storage.files.visibleTo(id, user.id);
  if (!file) return notFound();
  const thumb = new URL(request.url).searchParams.get("thumb") === "1";
  const key = thumb ? file.thumbKey : file.blobKey;
  if (!key) return notFound();

  // Blobs never change (a new upload is a new id), so the id is a strong tag.
  const etag = `"${file.id}${thumb ? ".thumb" : ""}"`;
  const type = thumb
    ? "image/webp"
    : file.contentType === "text/plain"
      ? "text/plain; charset=utf-8"
      : file.contentType;
  const headers: Record<string, string> = {
    ...FILE_SECURITY_HEADERS,
    etag,
    "cache-control": `private, max-age=${FILE_MAX_AGE}`,
    "accept-ranges": "bytes",
    "content-type": type,
    "content-disposition": contentDisposition(
      thumb || shownInline(file) ? "inline" : "attachment",
      file.name,
    ),
  };
  if (etagMatches(request.headers.get("if-none-match"), etag)) {
    return new Response(null, { status: 304, headers });
  }

  const found = await runtime.blobs.stat(key);
  if (!found) return notFound();
  const ifRange = request.headers.get("if-range");
  const rangeHeader =
    ifRange === null || ifRange.trim() === etag ? request.headers.get("range") : null;
  const wanted = parseRange(rangeHeader, found.size);
  if (wanted.kind === "unsatisfiable") {
    return new Response(null, {
      status: 416,
      headers: { ...headers, "content-range": `bytes */${found.size}` },
    });
  }
  const range = wanted.kind === "range" ? wanted.range : undefined;
  const blob = await runtime.blobs.get(key, range);
  if (!blob) return notFound();
  const length = range ? range.end - range.start + 1 : blob.size;
  headers["content-length"] = String(length);
  if (range) headers["content-range"] = `bytes ${range.start}-${range.end}/${blob.size}`;
  if (request.method === "HEAD") {
    await blob.body.cancel();
    return new Response(null, { status: range ? 206 : 200, headers });
  }
  return new Response(blob.body, { status: range ? 206 : 200, headers });
}

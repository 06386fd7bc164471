import type { IncomingMessage } from "node:http";

/** How much more of a refused body is read (and dropped) so the client sees the answer. */
export const LINGER_BYTES = 1024 * 1024;
/** How long a refused body may keep coming before the connection is cut. */
export const LINGER_MS = 1_000;

/** The Node request behind a srvx Request, when running on Node. */
function nodeRequestOf(request: Request): IncomingMessage | undefined {
  return (request as Request & { runtime?: { node?: { req?: IncomingMessage } } }).runtime?.node
    ?.req;
}

/**
 * The request's body, read only up to `limit` bytes: a declared length over
 * it is refused before reading anything, a chunked body as soon as it
 * passes the limit. null means too large (see lingerThenCut).
 */
export async function readCapped(
  request: Request,
  limit: number,
): Promise<Uint8Array<ArrayBuffer> | null> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) return null;
  if (!request.body) return new Uint8Array(new ArrayBuffer(0));
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    // Not cancelled: that would reset the connection before the 413 is out
    // (lingerThenCut ends it once the answer had its chance).
    if (size > limit) return null;
    chunks.push(value);
  }
  const body = new Uint8Array(new ArrayBuffer(size));
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}

/**
 * After refusing a body, lets the answer reach the client before the
 * connection goes: the rest of the body is read and dropped up to
 * LINGER_BYTES, then no more is read (the client's sends stall on TCP's
 * window), and the connection is cut after LINGER_MS, so a 100 MB body is
 * never read in full. Cutting as soon as LINGER_BYTES had come (as this
 * once did) raced the answer: a fast client sends 1 MiB before the 413
 * is written, and the reset then took the 413 with it (closing at once
 * has the same fault). Off Node, the answer asks for the connection to
 * close instead.
 */
export function lingerThenCut(request: Request, headers: Headers): void {
  const node = nodeRequestOf(request);
  if (!node) {
    headers.set("connection", "close");
    return;
  }
  let seen = 0;
  const cut = () => {
    if (!node.complete) node.socket?.destroy();
  };
  node.on("data", (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > LINGER_BYTES) node.socket?.pause();
  });
  setTimeout(cut, LINGER_MS).unref();
}

import { readdirSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";

export type UploadAnswer = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: { file?: Record<string, unknown>; error?: string; message?: string };
};

/**
 * POSTs a body to /api/files over node:http (not fetch): the server may
 * answer 413 before the body is all sent and then cut the connection, and
 * the answer must still be read. `body` as an iterable is sent chunked
 * (no Content-Length).
 */
export function upload(
  baseUrl: string,
  options: {
    cookie?: string;
    name?: string;
    body: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
    origin?: string | null;
    headers?: Record<string, string>;
  },
): Promise<UploadAnswer> {
  const url = new URL("/api/files", baseUrl);
  if (options.name !== undefined) url.searchParams.set("name", options.name);
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  const origin = options.origin === undefined ? baseUrl : options.origin;
  if (origin !== null) headers.origin = origin;
  const whole = options.body instanceof Uint8Array ? options.body : undefined;
  if (whole) headers["content-length"] = String(whole.byteLength);
  return new Promise((resolve, reject) => {
    let answered = false;
    // A connection of its own: one the server cut after refusing a body must not be reused.
    const req = request(url, { method: "POST", headers, agent: false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", () => {});
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: UploadAnswer["json"] = {};
        try {
          json = JSON.parse(text);
        } catch {}
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json });
        if (!req.writableFinished) req.destroy();
      });
    });
    // Once answered, a cut connection (the rest of a refused body) is expected.
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    void (async () => {
      try {
        if (whole) {
          req.end(whole);
          return;
        }
        for await (const chunk of options.body as AsyncIterable<Uint8Array>) {
          if (answered || req.destroyed) return;
          if (!req.write(chunk)) await new Promise((r) => req.once("drain", r));
        }
        req.end();
      } catch (error) {
        if (!answered) reject(error);
      }
    })();
  });
}

/** GETs a path with the cookie; the body as bytes. */
export async function getFile(
  baseUrl: string,
  path: string,
  cookie?: string,
  headers: Record<string, string> = {},
) {
  const response = await fetch(new URL(path, baseUrl), {
    headers: { ...headers, ...(cookie ? { cookie } : {}) },
    redirect: "manual",
  });
  return {
    status: response.status,
    headers: response.headers,
    body: Buffer.from(await response.arrayBuffer()),
  };
}

/** Blob files the server's folder store holds (temporary ones excluded). */
export function storedBlobs(dataDir: string): string[] {
  const root = join(dataDir, "files");
  const found: string[] = [];
  for (const folder of ["files", "thumbs"]) {
    try {
      for (const name of readdirSync(join(root, folder))) found.push(`${folder}/${name}`);
    } catch {}
  }
  return found;
}

/** Spooled uploads left in the data dir (there should be none once an answer is out). */
export function spooled(dataDir: string): string[] {
  try {
    return readdirSync(join(dataDir, "upload-tmp"));
  } catch {
    return [];
  }
}

/** File rows in the server's SQLite database (read-only, beside the running server). */
export function fileRows(dataDir: string): { id: string; uploader_id: string; size: number }[] {
  const db = new DatabaseSync(join(dataDir, "parley.db"), { readOnly: true });
  try {
    return db.prepare("select id, uploader_id, size from file").all() as never;
  } finally {
    db.close();
  }
}

/** Bytes of a given size, made of a repeated pattern (no randomness needed). */
export function bytes(size: number, fill = 0x61): Uint8Array {
  return new Uint8Array(size).fill(fill);
}

/**
 * Whether an EXIF block (as sharp's metadata gives it: "Exif\0\0" then
 * TIFF) has a GPS IFD: tag 0x8825 in IFD0.
 */
export function exifHasGps(exif: Buffer | undefined): boolean {
  if (!exif) return false;
  const tiff = exif.subarray(exif.subarray(0, 6).toString("latin1") === "Exif\0\0" ? 6 : 0);
  const little = tiff.subarray(0, 2).toString("latin1") === "II";
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const ifd0 = u32(4);
  const count = u16(ifd0);
  for (let i = 0; i < count; i++) {
    if (u16(ifd0 + 2 + i * 12) === 0x8825) return true;
  }
  return false;
}

import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileUrl, thumbUrl, type WireFile } from "../../src/protocol/frames";
import { signUp } from "../helpers/clients";
import {
  bytes,
  exifHasGps,
  fileRows,
  getFile,
  spooled,
  storedBlobs,
  upload,
} from "../helpers/files";
import { waitFor } from "../helpers/http-from";
import { type RunningServer, startServer } from "../helpers/server";

const MB = 1024 * 1024;

/** Yields `total` bytes in 64 KiB chunks: a body with no declared length. */
async function* chunked(total: number) {
  const chunk = bytes(64 * 1024);
  for (let sent = 0; sent < total; sent += chunk.byteLength) {
    yield chunk.subarray(0, Math.min(chunk.byteLength, total - sent));
  }
}

describe("POST /api/files: who may upload and how much", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({
      env: { PARLEY_MAX_UPLOAD_MB: "1", PARLEY_USER_QUOTA_MB: "2" },
    });
  });
  afterAll(() => server?.stop());

  /** Nothing of a refused upload is left: no row, no blob, no spooled file. */
  const expectNothingStoredBy = (userCookieRows: number) => {
    expect(fileRows(server.dataDir)).toHaveLength(userCookieRows);
    expect(storedBlobs(server.dataDir)).toHaveLength(userCookieRows);
    expect(spooled(server.dataDir)).toEqual([]);
  };

  it("refuses a request without a session (401) and one from a foreign Origin (403)", async () => {
    const before = fileRows(server.dataDir).length;
    const anonymous = await upload(server.url, { name: "a.txt", body: bytes(10) });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.error).toBe("unauthorized");
    const { cookie } = await signUp(server.url);
    const foreign = await upload(server.url, {
      cookie,
      name: "a.txt",
      body: bytes(10),
      origin: "https://evil.example",
    });
    expect(foreign.status).toBe(403);
    expect(foreign.json.error).toBe("forbidden_origin");
    expectNothingStoredBy(before);
  });

  it("answers 413 naming the limit for a declared length over it, before reading", async () => {
    const before = fileRows(server.dataDir).length;
    const { cookie } = await signUp(server.url);
    const answer = await upload(server.url, { cookie, name: "big.bin", body: bytes(2 * MB) });
    expect(answer.status).toBe(413);
    expect(answer.json).toEqual({ error: "too_large", message: "Files can be at most 1 MB." });
    expectNothingStoredBy(before);
  });

  it("answers 413 for a chunked body once it passes the limit, keeping nothing", async () => {
    const before = fileRows(server.dataDir).length;
    const { cookie } = await signUp(server.url);
    const answer = await upload(server.url, { cookie, name: "big.bin", body: chunked(3 * MB) });
    expect(answer.status).toBe(413);
    expect(answer.json.error).toBe("too_large");
    await waitFor("the spool to be removed", () =>
      spooled(server.dataDir).length === 0 ? true : undefined,
    );
    expectNothingStoredBy(before);
  });

  it("accepts a chunked body under the limit (the exact limit included)", async () => {
    const { cookie } = await signUp(server.url);
    const answer = await upload(server.url, { cookie, name: "exact.bin", body: chunked(MB) });
    expect(answer.status).toBe(201);
    expect((answer.json.file as WireFile).size).toBe(MB);
  });

  it("refuses an upload past the user's quota with a message naming it, keeping nothing", async () => {
    const { cookie } = await signUp(server.url);
    for (const name of ["one.bin", "two.bin"]) {
      const ok = await upload(server.url, { cookie, name, body: bytes(0.9 * MB) });
      expect(ok.status).toBe(201);
    }
    const before = fileRows(server.dataDir).length;
    // Declared: refused before reading.
    const declared = await upload(server.url, { cookie, name: "three.bin", body: bytes(0.5 * MB) });
    expect(declared.status).toBe(413);
    expect(declared.json.error).toBe("over_quota");
    expect(declared.json.message).toContain("your 2 MB of files");
    // Chunked: refused once its size is known.
    const streamed = await upload(server.url, {
      cookie,
      name: "three.bin",
      body: chunked(0.5 * MB),
    });
    expect(streamed.status).toBe(413);
    expect(streamed.json.error).toBe("over_quota");
    expectNothingStoredBy(before);
    // Someone else's quota is their own.
    const other = await signUp(server.url);
    expect(
      (await upload(server.url, { cookie: other.cookie, name: "x", body: bytes(10) })).status,
    ).toBe(201);
  });

  it("sanitises the name: no folders, no control characters, extension kept", async () => {
    const { cookie } = await signUp(server.url);
    const cases: [string | undefined, string][] = [
      ["../../etc/passwd", "passwd"],
      ["C:\\Users\\ann\\report.pdf", "report.pdf"],
      ["evil\u202egpj.exe", "evilgpj.exe"],
      ["tab\tand\nnewline.txt", "tabandnewline.txt"],
      ["", "file"],
      [undefined, "file"],
      [`${"a".repeat(300)}.txt`, `${"a".repeat(196)}.txt`],
    ];
    for (const [given, stored] of cases) {
      const answer = await upload(server.url, { cookie, name: given, body: bytes(5) });
      expect([given, (answer.json.file as WireFile).name]).toEqual([given, stored]);
    }
  });
});

describe("GET /files: types, headers, images", () => {
  let server: RunningServer;
  let ann: { cookie: string };
  let bob: { cookie: string };
  beforeAll(async () => {
    server = await startServer();
    [ann, bob] = await Promise.all([signUp(server.url), signUp(server.url)]);
  });
  afterAll(() => server?.stop());

  const post = async (name: string, body: Uint8Array) => {
    const answer = await upload(server.url, { cookie: ann.cookie, name, body });
    expect(answer.status).toBe(201);
    return answer.json.file as WireFile;
  };

  it("serves an HTML file named x.png and an SVG as text downloads with nosniff and no-script CSP", async () => {
    const html = await post("x.png", Buffer.from("<html><script>alert(1)</script></html>"));
    const svg = await post(
      "logo.svg",
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    );
    for (const file of [html, svg]) {
      expect(file.image).toBe(false);
      expect(file.type).not.toMatch(/html|svg/);
      const served = await getFile(server.url, fileUrl(file), ann.cookie);
      expect(served.status).toBe(200);
      expect(served.headers.get("content-disposition")).toMatch(/^attachment; /);
      expect(served.headers.get("x-content-type-options")).toBe("nosniff");
      expect(served.headers.get("content-security-policy")).toBe("default-src 'none'");
      expect(served.headers.get("content-type")).not.toMatch(/html|svg/);
    }
    expect(html.type).toBe("text/plain");
    const served = await getFile(server.url, fileUrl(html), ann.cookie);
    expect(served.headers.get("content-disposition")).toBe(
      `attachment; filename="x.png"; filename*=UTF-8''x.png`,
    );
    expect(served.body.toString()).toContain("<script>");
  });

  it("names a non-ASCII file safely in Content-Disposition (RFC 6266 filename*)", async () => {
    const file = await post('naïve "plan".txt', Buffer.from("hello"));
    const served = await getFile(server.url, fileUrl(file), ann.cookie);
    expect(served.headers.get("content-disposition")).toBe(
      `attachment; filename="na_ve _plan_.txt"; filename*=UTF-8''na%C3%AFve%20%22plan%22.txt`,
    );
  });

  it("sniffs the type from the bytes and ignores the client's Content-Type", async () => {
    const png = await sharp({
      create: { width: 10, height: 10, channels: 3, background: "#0f0" },
    })
      .png()
      .toBuffer();
    const answer = await upload(server.url, {
      cookie: ann.cookie,
      name: "notes.txt",
      body: png,
      headers: { "content-type": "text/html" },
    });
    expect((answer.json.file as WireFile).type).toBe("image/png");
    const random = await post("blob", Buffer.from([0, 159, 146, 150, 1, 2, 3, 0, 255]));
    expect(random.type).toBe("application/octet-stream");
  });

  it("strips EXIF (GPS included) from a stored JPEG and turns it upright first", async () => {
    const jpeg = await sharp({
      create: { width: 300, height: 200, channels: 3, background: "#f00" },
    })
      .jpeg()
      .withExif({
        IFD0: { Copyright: "Ann" },
        IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 30/1 0/1" },
      })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const sent = await sharp(jpeg).metadata();
    expect(exifHasGps(sent.exif)).toBe(true);
    const file = await post("holiday.jpg", jpeg);
    expect(file).toMatchObject({ type: "image/jpeg", image: true, width: 200, height: 300 });
    const served = await getFile(server.url, fileUrl(file), ann.cookie);
    expect(served.headers.get("content-disposition")).toMatch(/^inline; /);
    expect(served.headers.get("content-type")).toBe("image/jpeg");
    const stored = await sharp(served.body).metadata();
    expect(stored.exif).toBeUndefined();
    expect(exifHasGps(stored.exif)).toBe(false);
    expect(stored.orientation).toBeUndefined();
    expect([stored.width, stored.height]).toEqual([200, 300]);
  });

  it("makes a WebP thumbnail of at most 400 px and keeps the image's size", async () => {
    const png = await sharp({
      create: { width: 1200, height: 800, channels: 4, background: "#00f8" },
    })
      .png()
      .toBuffer();
    const file = await post("wide.png", png);
    expect(file).toMatchObject({ type: "image/png", image: true, width: 1200, height: 800 });
    const thumb = await getFile(server.url, thumbUrl(file), ann.cookie);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get("content-type")).toBe("image/webp");
    expect(thumb.headers.get("content-security-policy")).toBe("default-src 'none'");
    const meta = await sharp(thumb.body).metadata();
    expect(meta.format).toBe("webp");
    expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBeLessThanOrEqual(400);
    expect(meta.width).toBe(400);
  });

  it("keeps an animated GIF as it is, with a still thumbnail", async () => {
    const frames = await sharp({
      create: { width: 40, height: 90, channels: 3, background: "#123" },
    })
      .gif()
      .toBuffer();
    const gif = await sharp([frames, frames], { join: { animated: true } })
      .gif()
      .toBuffer();
    const file = await post("loop.gif", gif);
    expect(file).toMatchObject({ type: "image/gif", image: true, width: 40, height: 90 });
    const served = await getFile(server.url, fileUrl(file), ann.cookie);
    expect(Buffer.compare(served.body, gif)).toBe(0);
    const thumb = await getFile(server.url, thumbUrl(file), ann.cookie);
    expect((await sharp(thumb.body).metadata()).pages ?? 1).toBe(1);
  });

  it("stores a file that claims to be a PNG but does not decode as a plain download", async () => {
    const broken = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from("IHDR this is not really an image"),
    ]);
    const file = await post("broken.png", broken);
    expect(file.image).toBe(false);
    expect(file.width).toBeUndefined();
    const served = await getFile(server.url, fileUrl(file), ann.cookie);
    expect(served.headers.get("content-disposition")).toMatch(/^attachment; /);
    expect((await getFile(server.url, thumbUrl(file), ann.cookie)).status).toBe(404);
  });

  it("answers ranges (206, 416), a strong ETag and 304, with private caching", async () => {
    const file = await post("alphabet.txt", Buffer.from("abcdefghijklmnopqrstuvwxyz"));
    const url = fileUrl(file);
    const whole = await getFile(server.url, url, ann.cookie);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("accept-ranges")).toBe("bytes");
    expect(whole.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(whole.headers.get("cache-control")).toMatch(/^private, max-age=\d+$/);
    const etag = whole.headers.get("etag") ?? "";
    expect(etag).toMatch(/^"[^"]+"$/);

    const part = await getFile(server.url, url, ann.cookie, { range: "bytes=2-5" });
    expect(part.status).toBe(206);
    expect(part.body.toString()).toBe("cdef");
    expect(part.headers.get("content-range")).toBe("bytes 2-5/26");
    const suffix = await getFile(server.url, url, ann.cookie, { range: "bytes=-3" });
    expect([suffix.status, suffix.body.toString()]).toEqual([206, "xyz"]);
    const open = await getFile(server.url, url, ann.cookie, { range: "bytes=24-" });
    expect([open.status, open.body.toString()]).toEqual([206, "yz"]);
    const beyond = await getFile(server.url, url, ann.cookie, { range: "bytes=26-30" });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get("content-range")).toBe("bytes */26");
    const staleIfRange = await getFile(server.url, url, ann.cookie, {
      range: "bytes=0-0",
      "if-range": '"another"',
    });
    expect([staleIfRange.status, staleIfRange.body.length]).toEqual([200, 26]);

    const cached = await getFile(server.url, url, ann.cookie, { "if-none-match": etag });
    expect(cached.status).toBe(304);
    expect(cached.headers.get("etag")).toBe(etag);
    // The check of who may see it comes before the conditional.
    const stranger = await getFile(server.url, url, bob.cookie, { "if-none-match": etag });
    expect(stranger.status).toBe(404);
  });

  it("serves an unclaimed upload to its uploader only: 404 to anyone else and to no session", async () => {
    const file = await post("draft.txt", Buffer.from("not sent yet"));
    expect((await getFile(server.url, fileUrl(file), ann.cookie)).status).toBe(200);
    for (const cookie of [bob.cookie, undefined]) {
      for (const path of [fileUrl(file), thumbUrl(file)]) {
        const answer = await getFile(server.url, path, cookie);
        expect(answer.status).toBe(404);
        expect(answer.headers.get("content-security-policy")).toBe("default-src 'none'");
        expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
      }
    }
    expect((await getFile(server.url, "/files/no-such-id/x.txt", ann.cookie)).status).toBe(404);
  });
});

describe("unclaimed uploads are swept", () => {
  let server: RunningServer;
  beforeAll(async () => {
    // 0.0005 h = 1.8 s; the sweep then runs every second.
    server = await startServer({ env: { PARLEY_UNCLAIMED_FILE_HOURS: "0.0005" } });
  });
  afterAll(() => server?.stop());

  it("deletes the row and the blobs of an upload no message claimed", async () => {
    const { cookie } = await signUp(server.url);
    const png = await sharp({ create: { width: 20, height: 20, channels: 3, background: "#abc" } })
      .png()
      .toBuffer();
    const answer = await upload(server.url, { cookie, name: "left.png", body: png });
    const file = answer.json.file as WireFile;
    expect((await getFile(server.url, fileUrl(file), cookie)).status).toBe(200);
    expect(storedBlobs(server.dataDir).sort()).toEqual([`files/${file.id}`, `thumbs/${file.id}`]);
    await waitFor(
      "the sweep",
      () => (fileRows(server.dataDir).length === 0 ? true : undefined),
      15_000,
    );
    expect(storedBlobs(server.dataDir)).toEqual([]);
    expect((await getFile(server.url, fileUrl(file), cookie)).status).toBe(404);
  });
});

import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileUrl, thumbUrl, type WireFile } from "../../src/protocol/frames";
import { signUp } from "../helpers/clients";
import { getFile, upload } from "../helpers/files";
import { type S3TestServer, startS3Server } from "../helpers/s3-server";
import { type RunningServer, startServer } from "../helpers/server";

// Serving reads the blob store through its port: the same answers with the
// S3 driver (s3rver on loopback) as with the folder.
describe("GET /files with the S3 driver", () => {
  let s3: S3TestServer;
  let server: RunningServer;
  beforeAll(async () => {
    s3 = await startS3Server();
    server = await startServer({ env: s3.serverEnv() });
  });
  afterAll(async () => {
    await server?.stop();
    await s3?.stop();
  });

  it("serves ranges, 416, 304 and a thumbnail out of the bucket, to the uploader only", async () => {
    const [ann, bob] = await Promise.all([signUp(server.url), signUp(server.url)]);
    const text = await upload(server.url, {
      cookie: ann.cookie,
      name: "alphabet.txt",
      body: Buffer.from("abcdefghijklmnopqrstuvwxyz"),
    });
    expect(text.status).toBe(201);
    const file = text.json.file as WireFile;
    const part = await getFile(server.url, fileUrl(file), ann.cookie, { range: "bytes=20-" });
    expect([part.status, part.body.toString(), part.headers.get("content-range")]).toEqual([
      206,
      "uvwxyz",
      "bytes 20-25/26",
    ]);
    const beyond = await getFile(server.url, fileUrl(file), ann.cookie, { range: "bytes=99-" });
    expect([beyond.status, beyond.headers.get("content-range")]).toEqual([416, "bytes */26"]);
    const etag = part.headers.get("etag") ?? "";
    expect(
      (await getFile(server.url, fileUrl(file), ann.cookie, { "if-none-match": etag })).status,
    ).toBe(304);
    expect((await getFile(server.url, fileUrl(file), bob.cookie)).status).toBe(404);

    const png = await sharp({
      create: { width: 900, height: 300, channels: 3, background: "#0a0" },
    })
      .png()
      .toBuffer();
    const image = (await upload(server.url, { cookie: ann.cookie, name: "wide.png", body: png }))
      .json.file as WireFile;
    const thumb = await getFile(server.url, thumbUrl(image), ann.cookie);
    expect(thumb.status).toBe(200);
    expect((await sharp(thumb.body).metadata()).width).toBe(400);
  });
});

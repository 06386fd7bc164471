import { randomBytes, randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileUrl, thumbUrl, type WireFile, type WireMessage } from "../../src/protocol/frames";
import {
  closeAll,
  joinAs,
  type Member,
  roomIdFromReady,
  startServeLike,
} from "../helpers/integration-extra";
import { type S3TestServer, startS3Server } from "../helpers/s3-server";
import type { RunningServer } from "../helpers/server";
import {
  postgresAvailable,
  redisAvailable,
  TEST_REDIS_URL,
  testDatabase,
} from "../helpers/services";

const ready = (await postgresAvailable()) && (await redisAvailable());

// Two instances on one PostgreSQL and Redis with the S3 driver (s3rver,
// started here): a file uploaded through one instance and sent in a
// message is downloaded, whole and by range, through the other. Only S3 is
// shared between them, so the bytes can only have come from there.
const testDb = testDatabase("files_cluster");

/** POST /api/files as the member, on the instance at `baseUrl`. */
async function upload(baseUrl: string, who: Member, name: string, bytes: Buffer) {
  const response = await fetch(`${baseUrl}/api/files?name=${encodeURIComponent(name)}`, {
    method: "POST",
    headers: {
      cookie: who.cookie,
      origin: baseUrl,
      "content-type": "application/octet-stream",
    },
    body: new Uint8Array(bytes),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`upload of ${name} answered ${response.status}: ${text.slice(0, 300)}`);
  }
  return (JSON.parse(text) as { file: WireFile }).file;
}

/** Sends a message carrying files and resolves with its ack's message. */
async function sendFiles(who: Member, roomId: string, text: string, fileIds: string[]) {
  const clientId = randomUUID();
  who.socket.send({ type: "send", roomId, clientId, text, fileIds });
  const frame = await who.socket.next(
    (f) => (f.type === "ack" || f.type === "error") && f.clientId === clientId,
    10_000,
  );
  if (frame.type !== "ack") throw new Error(`send refused: ${JSON.stringify(frame)}`);
  return frame.message as WireMessage;
}

describe.runIf(ready)("files across instances (PostgreSQL + Redis + S3)", () => {
  let s3: S3TestServer;
  let raw: S3Client;
  let one: RunningServer;
  let two: RunningServer;
  let ann: Member;
  let bob: Member;
  let general: string;

  beforeAll(async () => {
    s3 = await startS3Server();
    raw = new S3Client({ ...s3.storeConfig(), requestChecksumCalculation: "WHEN_REQUIRED" });
    await testDb.create();
    const env = { DATABASE_URL: testDb.url, REDIS_URL: TEST_REDIS_URL, ...s3.serverEnv() };
    // One after the other: both would race to migrate the fresh database.
    one = await startServeLike({ env });
    two = await startServeLike({ env });
    ann = await joinAs(one.url);
    bob = await joinAs(two.url);
    general = roomIdFromReady(ann.socket, "general");
  });

  afterAll(async () => {
    await closeAll([ann?.socket, bob?.socket].filter((s) => s !== undefined));
    await Promise.all([one?.stop(), two?.stop()]);
    await testDb.drop();
    raw?.destroy();
    await s3?.stop();
  });

  it("a file uploaded on instance 1 and sent is downloaded from instance 2 with the same bytes", async () => {
    // Past one multipart part (5 MiB), so the upload goes up in parts.
    const bytes = randomBytes(6 * 1024 * 1024 + 321);
    const file = await upload(one.url, ann, "data.bin", bytes);
    expect(file.size).toBe(bytes.length);

    const sent = await sendFiles(ann, general, "", [file.id]);
    expect(sent.files?.map((f) => f.id)).toEqual([file.id]);
    // Bob, on the other instance, hears it live with the file on it.
    const heard = await bob.socket.next(
      (f) => f.type === "message" && (f.message as WireMessage).id === sent.id,
      10_000,
    );
    const seen = (heard.message as WireMessage).files?.[0];
    expect(seen?.id).toBe(file.id);

    const whole = await fetch(`${two.url}${fileUrl(seen as WireFile)}`, {
      headers: { cookie: bob.cookie },
    });
    expect(whole.status).toBe(200);
    const got = Buffer.from(await whole.arrayBuffer());
    expect(got.length).toBe(bytes.length);
    expect(got.equals(bytes)).toBe(true);

    const part = await fetch(`${two.url}${fileUrl(seen as WireFile)}`, {
      headers: { cookie: bob.cookie, range: "bytes=5242870-5242889" },
    });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(5242870, 5242890))).toBe(
      true,
    );

    // The bytes are in the bucket, and neither instance kept a copy on disk.
    const listed = await raw.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
    const sizes = (listed.Contents ?? []).map((object) => object.Size);
    expect(sizes).toContain(bytes.length);
    for (const server of [one, two])
      expect(blobFilesUnder(join(server.dataDir, "files"))).toEqual([]);
  });

  it("an image's thumbnail made on instance 1 is served by instance 2", async () => {
    const png = await sharp({
      create: { width: 900, height: 600, channels: 3, background: { r: 200, g: 40, b: 90 } },
    })
      .png()
      .toBuffer();
    const file = await upload(one.url, ann, "photo.png", png);
    expect(file.image).toBe(true);
    const sent = await sendFiles(ann, general, "a photo", [file.id]);
    await bob.socket.next(
      (f) => f.type === "message" && (f.message as WireMessage).id === sent.id,
      10_000,
    );
    const thumb = await fetch(`${two.url}${thumbUrl(file)}`, { headers: { cookie: bob.cookie } });
    expect(thumb.status).toBe(200);
    const meta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBeLessThanOrEqual(400);
    expect(["webp", "jpeg"]).toContain(meta.format);
  });
});

/** Regular files under a folder, if it exists (a disk store would put blobs there). */
function blobFilesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

// An unreachable service: services.ts printed a loud banner (with CI=true
// it throws instead). A visible skipped entry keeps vitest's report honest.
describe.skipIf(ready)("files across instances (PostgreSQL or Redis unreachable: skipped)", () => {
  it("needs the services", () => {});
});

import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer as createNetServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/lib/supervisor.ts";
import { createFsBlobStore } from "../../src/server/files/fs-blob-store.server";
import { openBlobStore } from "../../src/server/files/open-blob-store.server";
import { createS3BlobStore } from "../../src/server/files/s3-blob-store.server";
import { type S3TestServer, startS3Server } from "../helpers/s3-server";
import { describeBlobStoreContract } from "./blob-store.contract";

/** Listens on a random loopback port; its http:// URL and a close. */
function listen(server: Server): Promise<{ url: string; close: () => Promise<void> }> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

/** Every file under `dir`, temporary ones included, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

describeBlobStoreContract("filesystem", async () => {
  const dir = mkdtempSync(join(tmpdir(), "parley-blobs-"));
  // A data folder that is a file: no folder can be made under it.
  const notAFolder = join(mkdtempSync(join(tmpdir(), "parley-blobs-bad-")), "files");
  writeFileSync(notAFolder, "not a folder");
  return {
    store: createFsBlobStore(dir),
    everything: async () => filesUnder(dir),
    broken: [
      {
        what: "a path that is a file",
        store: createFsBlobStore(notAFolder),
        says: [/file store folder/, new RegExp(notAFolder), /ENOTDIR|EEXIST/],
      },
    ],
    close: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

// The S3 driver against s3rver, a real S3-protocol server started here
// (test/helpers/s3-server.ts): it is a devDependency, so nothing can be
// missing and nothing is skipped.
let s3: S3TestServer;
let raw: S3Client;
let deadEndpoint: string;
const WRONG_SECRET = `wrong-secret-${randomUUID()}`;
beforeAll(async () => {
  s3 = await startS3Server();
  raw = new S3Client({ ...s3.storeConfig(), requestChecksumCalculation: "WHEN_REQUIRED" });
  // A port nothing listens on: connections are refused at once.
  deadEndpoint = `http://127.0.0.1:${await freePort()}`;
}, 30_000);
afterAll(async () => {
  raw?.destroy();
  await s3?.stop();
});

/** Every object key under `prefix` in the bucket. */
async function objectsUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await raw.send(
      new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    token = page.NextContinuationToken;
  } while (token);
  return keys.sort();
}

describeBlobStoreContract("s3 (s3rver)", async () => {
  // Each test in a prefix of its own: the store's keys live under it.
  const prefix = `run-${randomUUID()}/`;
  const missingBucket = `missing-${randomUUID().slice(0, 8)}`;
  return {
    store: createS3BlobStore(s3.storeConfig({ prefix })),
    everything: () => objectsUnder(prefix),
    broken: [
      {
        what: "a missing bucket",
        store: createS3BlobStore(s3.storeConfig({ bucket: missingBucket })),
        says: [new RegExp(`bucket ${missingBucket}`), /does not exist/, new RegExp(s3.endpoint)],
      },
      {
        what: "an endpoint nobody listens on",
        store: createS3BlobStore({ ...s3.storeConfig(), endpoint: deadEndpoint }),
        says: [new RegExp(`bucket ${s3.bucket}`), /unreachable/, new RegExp(deadEndpoint)],
      },
      {
        what: "refused credentials",
        store: createS3BlobStore({
          ...s3.storeConfig(),
          // s3rver checks the key id but not SigV4 signatures: an unknown id is what it refuses.
          credentials: {
            accessKeyId: `NOBODY${randomUUID().slice(0, 8)}`,
            secretAccessKey: WRONG_SECRET,
          },
        }),
        says: [/refused/, /AWS_SECRET_ACCESS_KEY/, new RegExp(s3.endpoint)],
      },
    ],
  };
});

describe("s3 driver", () => {
  it("keeps blobs under the configured prefix, and at the bucket's root without one", async () => {
    const prefix = `p-${randomUUID()}/deeper/`;
    const id = randomUUID();
    const body = async function* () {
      yield new TextEncoder().encode("x");
    };
    await createS3BlobStore(s3.storeConfig({ prefix })).put(`${id}/original`, body(), {
      contentType: "text/plain",
    });
    expect(await objectsUnder(prefix)).toEqual([`${prefix}${id}/original`]);
    const bare = randomUUID();
    await createS3BlobStore(s3.storeConfig()).put(bare, body(), { contentType: "text/plain" });
    expect(await objectsUnder(bare)).toEqual([bare]);
  });

  it("never shows the secret key in where or in a check() error", async () => {
    const store = createS3BlobStore({
      ...s3.storeConfig(),
      endpoint: `http://someone:${WRONG_SECRET}@127.0.0.1:${new URL(deadEndpoint).port}`,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: WRONG_SECRET },
    });
    expect(store.where).not.toContain(WRONG_SECRET);
    const error = await store.check().then(
      () => undefined,
      (thrown: Error) => thrown,
    );
    expect(error?.message).toMatch(/unreachable/);
    expect(error?.message).not.toContain(WRONG_SECRET);
    expect(String(error?.stack)).not.toContain(WRONG_SECRET);
  });

  it("fails the startup check of an unreachable endpoint quickly (figure reported)", async () => {
    const started = performance.now();
    await expect(openBlobStore({ ...s3.storeConfig(), endpoint: deadEndpoint })).rejects.toThrow(
      /unreachable/,
    );
    const ms = performance.now() - started;
    console.log(`S3 check of a refused endpoint failed in ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(20_000);
  });

  it("a 200 MB put holds a few parts, not the file (figures reported)", async () => {
    const store = createS3BlobStore(s3.storeConfig({ prefix: `m-${randomUUID()}/` }));
    const mb = 200;
    const total = mb * 1024 * 1024;
    async function* body() {
      // A fresh buffer per chunk, as request bodies arrive: garbage to collect.
      for (let sent = 0; sent < total; sent += 65_536) yield new Uint8Array(65_536);
    }
    const base = process.memoryUsage().rss;
    let peak = base;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);
    const started = performance.now();
    try {
      const put = await store.put("big", body(), { contentType: "application/octet-stream" });
      expect(put).toEqual({ size: total });
    } finally {
      clearInterval(sampler);
    }
    const seconds = (performance.now() - started) / 1000;
    const growth = (peak - base) / 1024 / 1024;
    console.log(
      `S3 put of ${mb} MB: ${(mb / seconds).toFixed(0)} MB/s to s3rver, peak RSS growth ${growth.toFixed(1)} MB`,
    );
    expect(await store.stat("big")).toEqual({ size: total });
    // Not a tight figure: live memory is a few 5 MiB parts, and garbage
    // waiting for the collector adds tens of MB. Holding the file would
    // cost at least its 200 MB.
    expect(growth).toBeLessThan(mb * 0.6);
  }, 60_000);

  it.each([
    [
      400,
      /refused the request \(HTTP 400\).*PARLEY_S3_REGION \(now us-east-1\).*PARLEY_S3_FORCE_PATH_STYLE/,
    ],
    [301, /refused the request \(HTTP 301\).*PARLEY_S3_REGION/],
    [503, /HTTP 503 from the endpoint/],
  ])("check() explains an endpoint answering HTTP %i", async (status, says) => {
    const fake = await listen(
      createHttpServer((_request, response) => {
        response.writeHead(status).end();
      }),
    );
    try {
      const store = createS3BlobStore({ ...s3.storeConfig(), endpoint: fake.url });
      await expect(store.check()).rejects.toThrow(says);
    } finally {
      await fake.close();
    }
  });

  it("check() gives up on an endpoint that accepts connections but never answers", async () => {
    const sockets: Socket[] = [];
    const fake = await listen(createNetServer((socket) => sockets.push(socket)));
    try {
      const store = createS3BlobStore(
        { ...s3.storeConfig(), endpoint: fake.url },
        { checkTimeoutMs: 500 },
      );
      await expect(store.check()).rejects.toThrow(/did not answer in time/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await fake.close();
    }
  });

  it("check() says so when no credentials are configured anywhere", async () => {
    // The SDK's chain: environment, shared files, then instance metadata.
    // Point each at nothing for the length of this test.
    const saved = { ...process.env };
    const nowhere = join(tmpdir(), `no-aws-${randomUUID()}`);
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    delete process.env.AWS_PROFILE;
    delete process.env.AWS_WEB_IDENTITY_TOKEN_FILE;
    delete process.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI;
    delete process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
    process.env.AWS_CONFIG_FILE = nowhere;
    process.env.AWS_SHARED_CREDENTIALS_FILE = nowhere;
    process.env.AWS_EC2_METADATA_DISABLED = "true";
    try {
      const store = createS3BlobStore({ ...s3.storeConfig(), credentials: undefined });
      await expect(store.check()).rejects.toThrow(
        /no credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/,
      );
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
  });

  it.each([
    ["small (one PUT)", 100_000],
    ["large (multipart)", 12 * 1024 * 1024],
  ])(
    "a %s put the store refuses rejects with S3's error and closes the body",
    async (_what, total) => {
      const store = createS3BlobStore(s3.storeConfig({ bucket: "no-bucket-here" }));
      let closed = false;
      let produced = 0;
      async function* body() {
        try {
          while (produced < total) {
            produced += 65_536;
            yield new Uint8Array(65_536);
          }
        } finally {
          closed = true;
        }
      }
      await expect(store.put("k", body(), { contentType: "text/plain" })).rejects.toMatchObject({
        name: "NoSuchBucket",
      });
      await expect.poll(() => closed).toBe(true);
    },
  );

  it("a get from a bucket that is gone throws instead of calling the blob missing", async () => {
    const store = createS3BlobStore(s3.storeConfig({ bucket: "gone-bucket" }));
    await expect(store.get("files/x")).rejects.toMatchObject({ name: "NoSuchBucket" });
  });

  it("openBlobStore opens and checks the s3 kind", async () => {
    const store = await openBlobStore(s3.storeConfig({ prefix: `o-${randomUUID()}/` }));
    expect(store.where).toContain(`bucket ${s3.bucket}`);
    expect(store.where).toContain(s3.endpoint);
    await expect(openBlobStore(s3.storeConfig({ bucket: "not-there-at-all" }))).rejects.toThrow(
      /bucket not-there-at-all does not exist/,
    );
  });
});

import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { supervise } from "../../scripts/lib/supervisor.ts";
import type { S3StoreConfig } from "../../src/server/files/s3-blob-store.server";

/** s3rver's built-in key pair (it checks signatures, so a wrong key is refused). */
export const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;

export type S3TestServer = {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  /** A bucket that exists on it (made at start). */
  bucket: string;
  /** The driver config for `bucket` (optionally under `prefix`). */
  storeConfig: (options?: { bucket?: string; prefix?: string }) => S3StoreConfig;
  /** The variables that point a Parley server at `bucket` (optionally another one). */
  serverEnv: (bucket?: string) => Record<string, string>;
  /** Everything the S3 server printed. */
  output: () => string;
  stop: () => Promise<void>;
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Starts s3rver (a real S3-protocol server, an npm devDependency, so nothing
 * outside the repository is needed) as a child process on a random loopback
 * port with a fresh folder and one bucket, and waits until it listens.
 */
export async function startS3Server(): Promise<S3TestServer> {
  const directory = mkdtempSync(join(tmpdir(), "parley-s3-"));
  const bucket = `parley-${randomUUID().slice(0, 8)}`;
  const proc = supervise({
    name: "s3rver",
    args: [join(import.meta.dirname, "s3-server-main.mjs")],
    env: { ...process.env, S3RVER_DIR: directory, S3RVER_BUCKETS: bucket },
    stopTimeoutMs: 5_000,
    ready: async (self) => {
      const deadline = Date.now() + 15_000;
      while (!/listening on 127\.0\.0\.1:\d+/.test(self.output())) {
        if (!self.running) throw new Error(`s3rver exited at start: ${self.describe()}`);
        if (Date.now() > deadline) throw new Error(`s3rver did not start: ${self.describe()}`);
        await sleep(50);
      }
    },
  });
  await proc.start();
  const port = Number(proc.output().match(/listening on 127\.0\.0\.1:(\d+)/)?.[1]);
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    storeConfig: (options = {}) => ({
      kind: "s3",
      bucket: options.bucket ?? bucket,
      prefix: options.prefix ?? "",
      endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { ...S3RVER_CREDENTIALS },
    }),
    serverEnv: (name = bucket) => ({
      PARLEY_FILES_URL: `s3://${name}`,
      PARLEY_S3_ENDPOINT: endpoint,
      PARLEY_S3_FORCE_PATH_STYLE: "true",
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    }),
    output: proc.output,
    async stop() {
      await proc.stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

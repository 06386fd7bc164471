import { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  S3Client,
  type S3ServiceException,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import type { FilesStoreConfig } from "../../env";
import type { BlobStore, ByteRange } from "../../ports";

export type S3StoreConfig = Extract<FilesStoreConfig, { kind: "s3" }>;

/** Keys are Parley's own (ids and `/`); anything else is a bug, never an object name. */
const KEY = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;

/** S3's smallest multipart part (every part but the last). */
export const MIN_PART_BYTES = 5 * 1024 * 1024;

export type S3StoreOptions = {
  /** Bytes per multipart part; a body smaller than one part is a single PUT. */
  partBytes?: number;
  /** Parts sent at once. Memory held by a put is about (parts + 1) × partBytes. */
  parallelParts?: number;
  /** How long check() waits for the bucket before calling it unreachable. */
  checkTimeoutMs?: number;
};

/**
 * Blobs as objects in an S3-compatible bucket (AWS, MinIO, Ceph, R2...),
 * under the config's key prefix. A put streams the body through
 * lib-storage's Upload: bodies past one part go up as a multipart upload
 * holding only a couple of parts in memory, and a body that throws aborts
 * the multipart upload, so nothing appears under the key (S3 makes an object
 * visible only once it is complete). Gets stream the response body through.
 */
export function createS3BlobStore(config: S3StoreConfig, options: S3StoreOptions = {}): BlobStore {
  const partBytes = Math.max(options.partBytes ?? MIN_PART_BYTES, MIN_PART_BYTES);
  const parallelParts = options.parallelParts ?? 2;
  const checkTimeoutMs = options.checkTimeoutMs ?? 10_000;
  const client = new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
    credentials: config.credentials,
    // Since v3.729 (2025) the SDK adds CRC checksum headers to every upload
    // by default, which some S3-compatible servers (older MinIO and Ceph,
    // some hosted ones) refuse. Only send them where the API demands it.
    // (s3rver happens to take either.)
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    // A dead address must fail the startup check, not hang it. No request
    // timeout: a download is idle while its reader is slow, and that is fine.
    requestHandler: { connectionTimeout: 5_000 },
  });
  const { bucket, prefix } = config;
  const objectKey = (key: string) => {
    if (!KEY.test(key)) throw new Error(`blob key ${JSON.stringify(key)} is not one Parley makes`);
    return `${prefix}${key}`;
  };
  const place = describePlace(config);

  return {
    where: place,
    async put(key, body, info) {
      const Key = objectKey(key);
      let size = 0;
      let bodyFailed: { error: unknown } | undefined;
      // Only an error from pulling the body counts as the body's: when S3
      // fails, lib-storage stops reading and Node throws an AbortError in
      // at the yield, which must not be mistaken for the cause.
      async function* counted() {
        const chunks = body[Symbol.asyncIterator]();
        try {
          for (;;) {
            let next: IteratorResult<Uint8Array>;
            try {
              next = await chunks.next();
            } catch (error) {
              bodyFailed = { error };
              throw error;
            }
            if (next.done) return;
            size += next.value.byteLength;
            yield next.value;
          }
        } finally {
          // Ended early (S3 failed): close the body so its producer stops.
          if (!bodyFailed) await chunks.return?.();
        }
      }
      const source = Readable.from(counted());
      const upload = new Upload({
        client,
        params: { Bucket: bucket, Key, Body: source, ContentType: info.contentType },
        partSize: partBytes,
        queueSize: parallelParts,
        // Abort the multipart upload on any failure: no parts left billed.
        leavePartsOnError: false,
      });
      try {
        await upload.done();
      } catch (error) {
        const failed = bodyFailed;
        // When S3 failed, the body may still be open: let its producer know.
        source.destroy();
        // When the body failed, that is the error to report, even if
        // aborting the multipart upload failed too (some S3-compatible
        // servers lack AbortMultipartUpload; a bucket lifecycle rule then
        // clears the parts). The object itself never appears either way.
        throw failed ? failed.error : error;
      }
      return { size };
    },
    async get(key, range?: ByteRange) {
      const Key = objectKey(key);
      try {
        const answer = await client.send(
          new GetObjectCommand({
            Bucket: bucket,
            Key,
            Range: range ? `bytes=${range.start}-${range.end}` : undefined,
          }),
        );
        if (!answer.Body) throw new Error(`S3 answered GET ${Key} without a body`);
        const size = range
          ? wholeSize(answer.ContentRange, answer.ContentLength)
          : (answer.ContentLength ?? 0);
        return { body: answer.Body.transformToWebStream() as ReadableStream<Uint8Array>, size };
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    async stat(key) {
      try {
        const head = await client.send(
          new HeadObjectCommand({ Bucket: bucket, Key: objectKey(key) }),
        );
        return { size: head.ContentLength ?? 0 };
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    async delete(key) {
      // S3 answers 204 for a key that is not there: nothing to special-case.
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
    },
    async check() {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }), {
          abortSignal: AbortSignal.timeout(checkTimeoutMs),
        });
      } catch (error) {
        throw new Error(`The S3 file store (${place}) cannot be used: ${explain(error, config)}`);
      }
    },
  };
}

/** "bucket b (prefix p/) at <endpoint>", never with credentials. */
function describePlace(config: S3StoreConfig): string {
  const prefix = config.prefix ? `, prefix ${config.prefix}` : "";
  return `bucket ${config.bucket}${prefix} at ${endpointName(config)}`;
}

function endpointName(config: S3StoreConfig): string {
  if (!config.endpoint) return `AWS S3 in ${config.region}`;
  try {
    const url = new URL(config.endpoint);
    // A URL may carry user:password; the log must not.
    url.username = "";
    url.password = "";
    return url.toString().replace(/\/$/, "");
  } catch {
    return "an endpoint that is not a URL";
  }
}

/** The whole object's size from `Content-Range: bytes a-b/size`. */
function wholeSize(contentRange: string | undefined, contentLength: number | undefined): number {
  const total = contentRange?.match(/\/(\d+)$/);
  if (total) return Number(total[1]);
  // A server that ignored the Range sent the whole object.
  return contentLength ?? 0;
}

function statusOf(error: unknown): number | undefined {
  return (error as S3ServiceException | undefined)?.$metadata?.httpStatusCode;
}

/**
 * The key is not there. A missing bucket is a broken store, not a missing
 * blob: GET says NoSuchBucket and that is thrown. (HEAD has no body, so
 * stat cannot tell the two apart; the startup check covers the bucket.)
 */
function isMissing(error: unknown): boolean {
  const name = (error as Error | undefined)?.name;
  if (name === "NoSuchBucket") return false;
  return name === "NoSuchKey" || name === "NotFound" || statusOf(error) === 404;
}

/** What went wrong with HeadBucket, in words an operator can act on. */
function explain(error: unknown, config: S3StoreConfig): string {
  const status = statusOf(error);
  const name = (error as Error | undefined)?.name ?? "";
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (status === 404) return `the bucket ${config.bucket} does not exist (HTTP 404)`;
  if (status === 403 || status === 401) {
    return `access to the bucket ${config.bucket} was refused (HTTP ${status}): check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY and the bucket's policy`;
  }
  if (status === 301 || status === 400) {
    return `the endpoint refused the request (HTTP ${status}): check PARLEY_S3_REGION (now ${config.region}) and PARLEY_S3_FORCE_PATH_STYLE`;
  }
  if (status) return `HTTP ${status} from the endpoint (${name})`;
  if (name === "CredentialsProviderError") {
    return "no credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";
  }
  if (name === "TimeoutError" || name === "AbortError") {
    return "the endpoint did not answer in time (unreachable)";
  }
  const reason = code ?? (error instanceof Error ? error.message : String(error));
  return `the endpoint is unreachable (${reason}); check PARLEY_S3_ENDPOINT`;
}

import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * How Parley signs what it POSTs to someone else's URL (issue 15: outgoing
 * webhooks and custom slash commands alike). The receiver gets
 * `X-Parley-Timestamp: <unix seconds>` and
 * `X-Parley-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`
 * keyed by the webhook's secret. Signing the timestamp with the body lets a
 * receiver refuse a replay of an old request (see `verifySignature`).
 */
export const SIGNATURE_HEADER = "x-parley-signature";
export const TIMESTAMP_HEADER = "x-parley-timestamp";

/** How far a receiver may trust a timestamp from the past or the future. */
export const SIGNATURE_TOLERANCE_S = 300;

export function signBody(secret: string, timestamp: number, body: string): string {
  const mac = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return `sha256=${mac}`;
}

/** The two headers for `body`, signed now. */
export function signedHeaders(
  secret: string,
  body: string,
  nowMs: number = Date.now(),
): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: signBody(secret, timestamp, body),
  };
}

/**
 * What a receiver runs (tests and the docs' example): the signature
 * matches, in constant time, and the timestamp is within the tolerance.
 */
export function verifySignature(
  secret: string,
  headers: { timestamp: string | null; signature: string | null },
  body: string,
  nowMs: number = Date.now(),
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || !headers.signature) return false;
  if (Math.abs(nowMs / 1000 - timestamp) > SIGNATURE_TOLERANCE_S) return false;
  const expected = Buffer.from(signBody(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

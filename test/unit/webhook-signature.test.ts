import { describe, expect, it } from "vitest";
import {
  SIGNATURE_HEADER,
  SIGNATURE_TOLERANCE_S,
  signedHeaders,
  TIMESTAMP_HEADER,
  verifySignature,
} from "../../src/server/webhooks/signature.server";

const now = Date.UTC(2026, 11, 2, 12, 0, 0);
const headersOf = (h: Record<string, string>) => ({
  timestamp: h[TIMESTAMP_HEADER] ?? null,
  signature: h[SIGNATURE_HEADER] ?? null,
});

describe("webhook signatures", () => {
  it("verifies what it signed, as sha256=<hex> of timestamp.body", () => {
    const h = signedHeaders("s3cret", '{"a":1}', now);
    expect(h[SIGNATURE_HEADER]).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature("s3cret", headersOf(h), '{"a":1}', now)).toBe(true);
  });

  it("refuses another body, another secret, a missing header", () => {
    const h = signedHeaders("s3cret", '{"a":1}', now);
    expect(verifySignature("s3cret", headersOf(h), '{"a":2}', now)).toBe(false);
    expect(verifySignature("other", headersOf(h), '{"a":1}', now)).toBe(false);
    expect(verifySignature("s3cret", { ...headersOf(h), signature: null }, '{"a":1}', now)).toBe(
      false,
    );
  });

  it("refuses a replay older than the tolerance", () => {
    const h = signedHeaders("s3cret", "x", now);
    const later = now + (SIGNATURE_TOLERANCE_S + 1) * 1000;
    expect(verifySignature("s3cret", headersOf(h), "x", later)).toBe(false);
  });
});

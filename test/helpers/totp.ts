import { createHmac } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** RFC 4648 base32 (no padding, any case, spaces ignored) to bytes. */
export function base32Bytes(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, "").toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of clean) {
    const index = ALPHABET.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The TOTP step counter at `ms` (RFC 6238, 30 s steps). */
export const stepAt = (ms: number, period = 30) => Math.floor(ms / 1000 / period);

/** RFC 6238 TOTP (HMAC-SHA1, six digits) of a base32 secret for a step counter. */
export function totpAt(secret: string, counter: number, digits = 6): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac("sha1", base32Bytes(secret)).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(code).padStart(digits, "0");
}

/**
 * Waits (polling, no fixed sleep) until the clock is at least `marginMs`
 * away from a step boundary, so a code computed now for step N+k is still
 * for N+k when the server checks it. Answers the current step.
 */
export async function awayFromBoundary(marginMs = 4_000, period = 30): Promise<number> {
  const periodMs = period * 1000;
  for (;;) {
    const into = Date.now() % periodMs;
    if (into >= 500 && into <= periodMs - marginMs) return stepAt(Date.now(), period);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The base32 secret of an otpauth:// URI. */
export const secretOf = (uri: string) => new URL(uri).searchParams.get("secret") ?? "";

import {
  createDecipheriv,
  createECDH,
  createPublicKey,
  type ECDH,
  hkdfSync,
  randomBytes,
  verify,
} from "node:crypto";

/**
 * What a browser holds for one push subscription: its P-256 key pair and
 * 16-byte auth secret; `keys` is what PushSubscription.toJSON() sends.
 */
export type BrowserKeys = { ecdh: ECDH; auth: Buffer; keys: { p256dh: string; auth: string } };

/** A browser-like subscription's secrets, made the way a browser makes them. */
export function browserKeys(): BrowserKeys {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return {
    ecdh,
    auth,
    keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth: auth.toString("base64url") },
  };
}

const concat = (...parts: (Buffer | string)[]) =>
  Buffer.concat(
    parts.map((part) => (typeof part === "string" ? Buffer.from(part, "latin1") : part)),
  );

const hkdf = (ikm: Buffer, salt: Buffer, info: Buffer, length: number) =>
  Buffer.from(hkdfSync("sha256", ikm, salt, info, length));

/**
 * Decrypts a Web Push body as the browser does: the RFC 8188 aes128gcm
 * header (salt, record size, the sender's key as key id), the RFC 8291
 * key schedule (ECDH with the sender's key, the auth secret, the two
 * public keys), then each record with AES-128-GCM and its padding removed.
 * Throws on anything malformed or forged.
 */
export function decryptPush(body: Buffer, browser: BrowserKeys): string {
  if (body.length < 21) throw new Error("aes128gcm body shorter than its header");
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20] ?? 0;
  const senderKey = body.subarray(21, 21 + idLength);
  if (senderKey.length !== 65)
    throw new Error(`key id of ${senderKey.length} bytes, not a P-256 key`);
  if (recordSize < 18) throw new Error(`record size ${recordSize} too small`);

  // RFC 8291 section 3.4: the input keying material from the shared secret.
  const shared = browser.ecdh.computeSecret(senderKey);
  const keyInfo = concat("WebPush: info\0", browser.ecdh.getPublicKey(), senderKey);
  const ikm = hkdf(shared, browser.auth, keyInfo, 32);
  // RFC 8188 section 2.2 and 2.3: the content key and the nonce base.
  const key = hkdf(ikm, salt, concat("Content-Encoding: aes128gcm\0"), 16);
  const nonceBase = hkdf(ikm, salt, concat("Content-Encoding: nonce\0"), 12);

  const records = body.subarray(21 + idLength);
  const plain: Buffer[] = [];
  for (let at = 0, index = 0; at < records.length; at += recordSize, index++) {
    const record = records.subarray(at, at + recordSize);
    if (record.length < 17) throw new Error("record shorter than its tag");
    const nonce = Buffer.from(nonceBase);
    // The record's sequence number (96-bit big-endian) is XORed into the
    // nonce; counts this small touch only its last 4 bytes.
    nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ index) >>> 0, 8);
    const decipher = createDecipheriv("aes-128-gcm", key, nonce);
    decipher.setAuthTag(record.subarray(record.length - 16));
    const padded = Buffer.concat([
      decipher.update(record.subarray(0, record.length - 16)),
      decipher.final(),
    ]);
    // Padding: zeros, after a delimiter of 2 on the last record (1 on the others).
    let end = padded.length - 1;
    while (end >= 0 && padded[end] === 0) end--;
    const last = at + recordSize >= records.length;
    if (end < 0 || padded[end] !== (last ? 2 : 1))
      throw new Error("record padding delimiter wrong");
    plain.push(padded.subarray(0, end));
  }
  return Buffer.concat(plain).toString("utf8");
}

export type VapidClaims = { aud: string; exp: number; sub: string; key: string };

/**
 * Checks a VAPID (RFC 8292) Authorization header, `vapid t=<JWT>, k=<key>`:
 * the key is the one expected, the JWT is ES256 signed by it, and its
 * claims are returned for the caller to check. Throws when any of it fails.
 */
export function verifyVapid(header: string | undefined, expectedKey: string): VapidClaims {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? "");
  if (!match) throw new Error(`not a VAPID authorization: ${header}`);
  const [, token = "", key = ""] = match;
  if (key !== expectedKey) throw new Error("VAPID key is not the server's public key");
  const [head = "", payload = "", signature = ""] = token.split(".");
  const header64 = JSON.parse(Buffer.from(head, "base64url").toString("utf8")) as { alg?: string };
  if (header64.alg !== "ES256") throw new Error(`JWT alg ${header64.alg}, not ES256`);
  const point = Buffer.from(key, "base64url");
  const publicKey = createPublicKey({
    key: {
      kty: "EC",
      crv: "P-256",
      x: point.subarray(1, 33).toString("base64url"),
      y: point.subarray(33, 65).toString("base64url"),
    },
    format: "jwk",
  });
  const signed = verify(
    "sha256",
    Buffer.from(`${head}.${payload}`),
    { key: publicKey, dsaEncoding: "ieee-p1363" },
    Buffer.from(signature, "base64url"),
  );
  if (!signed) throw new Error("VAPID JWT signature does not verify with the key");
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Omit<
    VapidClaims,
    "key"
  >;
  return { ...claims, key };
}

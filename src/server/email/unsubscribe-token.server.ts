import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The signed token of an email's one-click unsubscribe link: the user id and
 * the purpose, signed with HMAC-SHA256 under the auth secret. The purpose is
 * in the signed text, so a token made for one use (say, a later "stop
 * digests of room X") cannot be replayed for another. No expiry: a link in
 * an old email must still work, and all it can do is turn email off.
 */
export type UnsubscribePurpose = "missed-email";

const PREFIX = "parley-unsubscribe-v1";

const sign = (secret: string, body: string) =>
  createHmac("sha256", secret).update(`${PREFIX}\n${body}`).digest("base64url");

export function unsubscribeToken(
  secret: string,
  userId: string,
  purpose: UnsubscribePurpose = "missed-email",
): string {
  const body = Buffer.from(JSON.stringify({ u: userId, p: purpose })).toString("base64url");
  return `${body}.${sign(secret, body)}`;
}

/** The user id the token was made for, or null when it is malformed, tampered or for another purpose. */
export function verifyUnsubscribeToken(
  secret: string,
  token: string,
  purpose: UnsubscribePurpose = "missed-email",
): string | null {
  const [body, mac, extra] = token.split(".");
  if (!body || !mac || extra !== undefined) return null;
  const expected = Buffer.from(sign(secret, body));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as {
      u?: unknown;
      p?: unknown;
    };
    if (typeof claims.u !== "string" || claims.u === "" || claims.p !== purpose) return null;
    return claims.u;
  } catch {
    return null;
  }
}

import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signedToken } from "../../src/server/auth/session-lookup.server";

const NAME = "better-auth.session_token";
const SECRET = "a secret long enough for a test only";
const sign = (token: string, secret = SECRET) =>
  `${token}.${createHmac("sha256", secret).update(token).digest("base64")}`;
const header = (value: string, name = NAME) => `theme=dark; ${name}=${encodeURIComponent(value)}`;

// The upgrade's own check of better-auth's signed session cookie: it must
// accept exactly what better-call's getSignedCookie accepts.
describe("signedToken", () => {
  it("answers the token of a correctly signed, URL-encoded cookie", () => {
    expect(signedToken(header(sign("tok123")), NAME, SECRET)).toBe("tok123");
  });

  it("reads a cookie that is not URL-encoded, or quoted", () => {
    expect(signedToken(`${NAME}=${sign("plain")}`, NAME, SECRET)).toBe("plain");
    expect(signedToken(`${NAME}="${sign("quoted")}"`, NAME, SECRET)).toBe("quoted");
  });

  it("refuses a signature made with another secret", () => {
    expect(signedToken(header(sign("tok123", "another secret entirely")), NAME, SECRET)).toBeNull();
  });

  it("refuses a token changed after signing", () => {
    const signed = sign("tok123");
    expect(signedToken(header(`tok124${signed.slice(6)}`), NAME, SECRET)).toBeNull();
  });

  it("refuses malformed values: no dot, short or unpadded signatures, bad escapes", () => {
    expect(signedToken(header("nodot"), NAME, SECRET)).toBeNull();
    expect(signedToken(header(".onlysignature="), NAME, SECRET)).toBeNull();
    expect(signedToken(header("tok.c2hvcnQ="), NAME, SECRET)).toBeNull();
    expect(signedToken(`${NAME}=tok.%E0%A4%A`, NAME, SECRET)).toBeNull();
  });

  it("refuses a missing header or a cookie of another name", () => {
    expect(signedToken(null, NAME, SECRET)).toBeNull();
    expect(signedToken("", NAME, SECRET)).toBeNull();
    expect(signedToken(header(sign("tok"), "other"), NAME, SECRET)).toBeNull();
    // A longer name that merely ends like it is another cookie.
    expect(signedToken(header(sign("tok"), `x${NAME}`), NAME, SECRET)).toBeNull();
  });

  it("takes the first of two cookies with the name, as better-call does", () => {
    const both = `${NAME}=${encodeURIComponent(sign("first"))}; ${NAME}=${encodeURIComponent(sign("second"))}`;
    expect(signedToken(both, NAME, SECRET)).toBe("first");
  });
});

import { describe, expect, it } from "vitest";
import {
  challengeEnded,
  cleanCode,
  cleanRecoveryCode,
  twoFactorError,
} from "../../src/client/two-factor-errors";
import {
  groupedSecret,
  openWithoutTwoFactor,
  SECURITY_PATH,
  secretOfTotpUri,
} from "../../src/core/two-factor";

describe("two-factor rules shared by the pages", () => {
  it("leaves only the security page and the auth pages open while 2FA is missing", () => {
    for (const path of [
      SECURITY_PATH,
      "/sign-in",
      "/sign-up",
      "/forgot-password",
      "/reset-password",
    ]) {
      expect(openWithoutTwoFactor(path), path).toBe(true);
    }
    for (const path of [
      "/",
      "/r/general",
      "/saved",
      "/settings/notifications",
      "/admin",
      "/settings/security/x",
    ]) {
      expect(openWithoutTwoFactor(path), path).toBe(false);
    }
  });

  it("reads the base32 secret out of an otpauth URI, and nothing out of junk", () => {
    expect(
      secretOfTotpUri("otpauth://totp/Acme:ann%40example.test?secret=JBSWY3DPEHPK3PXP&issuer=Acme"),
    ).toBe("JBSWY3DPEHPK3PXP");
    expect(secretOfTotpUri("not a uri")).toBe("");
    expect(groupedSecret("JBSWY3DPEHPK3PXP")).toBe("JBSW Y3DP EHPK 3PXP");
  });

  it("words each refusal for the person, with what to do next", () => {
    expect(twoFactorError({ code: "INVALID_CODE" })).toMatch(/^That code is not right/);
    expect(twoFactorError({ code: "INVALID_BACKUP_CODE" })).toMatch(/works once/);
    expect(twoFactorError({ code: "INVALID_PASSWORD" })).toBe("Wrong password.");
    expect(twoFactorError({ code: "INVALID_TWO_FACTOR_COOKIE" })).toMatch(/Sign in again/);
    expect(twoFactorError({ code: "ACCOUNT_TEMPORARILY_LOCKED" })).toMatch(/15 minutes/);
    expect(twoFactorError({ status: 429 })).toMatch(/Wait a minute/);
    expect(twoFactorError({ message: "Odd" })).toBe("Odd");
    expect(twoFactorError({})).toMatch(/Something went wrong/);
    expect(challengeEnded({ code: "TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE" })).toBe(true);
    expect(challengeEnded({ code: "INVALID_CODE" })).toBe(false);
    expect(cleanCode(" 123 456 ")).toBe("123456");
    expect(cleanCode("123-456")).toBe("123456");
    // Recovery codes are compared exactly, dash and case included.
    expect(cleanRecoveryCode(" abcde-FGHIJ ")).toBe("abcde-FGHIJ");
    expect(cleanRecoveryCode("abcdeFGHIJ")).toBe("abcde-FGHIJ");
    expect(cleanRecoveryCode("ab cde FGH IJ")).toBe("abcde-FGHIJ");
  });
});

import { describe, expect, it } from "vitest";
import { ssoErrorCode, ssoErrorText } from "../../src/core/sso-errors";
import { nameFromClaims } from "../../src/server/auth/oidc.server";

describe("ssoErrorCode", () => {
  it("keeps a code, drops anything else a link could carry", () => {
    expect(ssoErrorCode("access_denied")).toBe("access_denied");
    expect(ssoErrorCode("state_mismatch ")).toBe("state_mismatch");
    expect(ssoErrorCode("call 555 now")).toBeUndefined();
    expect(ssoErrorCode("<b>x</b>")).toBeUndefined();
    expect(ssoErrorCode(["access_denied"])).toBeUndefined();
    expect(ssoErrorCode(undefined)).toBeUndefined();
    expect(ssoErrorCode("a".repeat(500))?.length).toBe(80);
  });
});

describe("ssoErrorText", () => {
  it("names the provider and says what happened", () => {
    expect(ssoErrorText("access_denied", "Acme")).toBe(
      "Acme did not allow the sign-in. Try again, or ask an admin.",
    );
    expect(ssoErrorText("account_not_linked", "Acme")).toMatch(/not confirm.*verified/);
    expect(ssoErrorText("state_mismatch", "Acme")).toMatch(/could not be matched to this browser/);
    expect(ssoErrorText("unable_to_get_user_info", "Acme")).toMatch(/could not be verified/);
  });

  it("shows an unknown code as a code, with a way forward", () => {
    expect(ssoErrorText("SIGN_UP_CLOSED", "Acme")).toBe(
      "Single sign-on did not complete (SIGN_UP_CLOSED). Try again, or ask an admin.",
    );
  });
});

describe("nameFromClaims", () => {
  it("takes the first claim that is a valid display name", () => {
    expect(nameFromClaims({ name: "Ada Lovelace", preferred_username: "ada" })).toBe(
      "Ada Lovelace",
    );
    expect(nameFromClaims({ given_name: "Ada", family_name: "Byron" })).toBe("Ada Byron");
    expect(nameFromClaims({ name: "   ", preferred_username: "ada.b" })).toBe("ada.b");
    expect(nameFromClaims({ email: "grace@example.test" })).toBe("grace");
    expect(nameFromClaims({ name: "x".repeat(5000), email: "g@example.test" })).toBe("g");
    expect(nameFromClaims({})).toBe("New member");
  });
});

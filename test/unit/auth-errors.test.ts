import { describe, expect, it } from "vitest";
import { authErrorToFields, checkAuthFields } from "../../src/client/auth-errors";

describe("authErrorToFields", () => {
  it("puts the server's refusals on the field they concern", () => {
    expect(authErrorToFields({ code: "SIGN_UP_REFUSED", message: "x" }).email).toMatch(
      /cannot be used.*sign in/i,
    );
    expect(authErrorToFields({ code: "INVALID_NAME", message: "Names are text." })).toEqual({
      name: "Names are text.",
    });
    expect(
      authErrorToFields({ code: "ACCOUNT_LOCKED", message: "Try again in 30 seconds." }),
    ).toEqual({ form: "Try again in 30 seconds." });
    expect(authErrorToFields({ code: "PAYLOAD_TOO_LARGE" }).form).toMatch(/too much/i);
    expect(authErrorToFields({ code: "HANDLE_TAKEN", message: "That handle is taken." })).toEqual({
      handle: "That handle is taken.",
    });
    expect(authErrorToFields({ code: "INVALID_HANDLE", message: "Handles are text." })).toEqual({
      handle: "Handles are text.",
    });
  });

  it("checks the handle before a sign-up is sent", () => {
    const base = { name: "Dana", email: "d@example.test", password: "long enough" };
    expect(checkAuthFields({ ...base, handle: "dana" }, true)).toBeNull();
    expect(checkAuthFields({ ...base, handle: "" }, true)).toEqual({ handle: "Enter a handle." });
    expect(checkAuthFields({ ...base, handle: "Dana Lee" }, true)?.handle).toMatch(/only letters/);
    // Sign-in has no handle.
    expect(checkAuthFields(base, false)).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { authErrorToFields } from "../../src/client/auth-errors";

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
  });
});

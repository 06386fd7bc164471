import { describe, expect, it } from "vitest";
import { authErrorToFields } from "../../src/client/auth-errors";

describe("authErrorToFields", () => {
  it("puts the server's refusals on the field they concern", () => {
    expect(authErrorToFields({ code: "INVALID_NAME", message: "Names are text." })).toEqual({
      name: "Names are text.",
    });
    expect(authErrorToFields({ code: "PAYLOAD_TOO_LARGE" }).form).toMatch(/too much/i);
  });
});

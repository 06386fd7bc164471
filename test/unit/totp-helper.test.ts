import { describe, expect, it } from "vitest";
import { base32Bytes, totpAt } from "../helpers/totp";

// The tests' own TOTP must be right before it can judge the server's.
describe("the tests' RFC 6238 TOTP", () => {
  it("matches RFC 6238's SHA-1 test vectors", () => {
    // Appendix B: the ASCII secret "12345678901234567890", 8 digits.
    const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    expect(base32Bytes(secret).toString("ascii")).toBe("12345678901234567890");
    expect(totpAt(secret, Math.floor(59 / 30), 8)).toBe("94287082");
    expect(totpAt(secret, Math.floor(1111111109 / 30), 8)).toBe("07081804");
    expect(totpAt(secret, Math.floor(2000000000 / 30), 8)).toBe("69279037");
  });
});

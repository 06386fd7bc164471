import { describe, expect, it } from "vitest";
import { parseScopes, scopeAllows } from "../../src/core/scopes";
import { bearerOf, hashToken, newToken, tokenId } from "../../src/server/auth/api-token.server";

describe("token scopes", () => {
  it("admin implies write and read, write implies read, read nothing more", () => {
    expect(scopeAllows(["admin"], "write")).toBe(true);
    expect(scopeAllows(["admin"], "read")).toBe(true);
    expect(scopeAllows(["write"], "read")).toBe(true);
    expect(scopeAllows(["write"], "admin")).toBe(false);
    expect(scopeAllows(["read"], "write")).toBe(false);
    expect(scopeAllows([], "read")).toBe(false);
  });

  it("never grants a stored word it does not know", () => {
    expect(parseScopes("read, write,root,")).toEqual(["read", "write"]);
  });
});

describe("token format", () => {
  it("finds the id of a token it made, and its hash is stable", () => {
    const { id, token } = newToken();
    expect(tokenId(token)).toBe(id);
    expect(hashToken(token)).toBe(hashToken(token));
    expect(hashToken(token)).not.toBe(hashToken(`${token}x`));
  });

  it("refuses anything that is not a token's shape", () => {
    const { token } = newToken();
    for (const bad of ["", "pat_", `${token}x`, token.slice(1), `Bearer ${token}`]) {
      expect(tokenId(bad)).toBeUndefined();
    }
  });

  it("reads a bearer header and nothing else", () => {
    expect(bearerOf("Bearer abc")).toBe("abc");
    expect(bearerOf("bearer  abc ")).toBe("abc");
    expect(bearerOf("Basic abc")).toBeUndefined();
    expect(bearerOf(null)).toBeUndefined();
  });
});

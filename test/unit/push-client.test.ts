import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { base64UrlToBytes, isVapidKey } from "../../src/client/push-subscribe";
import { pushPayloadSchema } from "../../src/protocol/push";

/** public/sw.js's payload check, run as the browser would (a script, not a module). */
function workerPayloadCheck(): (text: string) => unknown {
  const context: Record<string, unknown> = {
    self: { addEventListener() {}, location: { origin: "http://localhost" } },
  };
  runInNewContext(readFileSync("public/sw.js", "utf8"), context);
  return context.parsePushPayload as (text: string) => unknown;
}

describe("base64UrlToBytes", () => {
  it("decodes what Node's base64url encodes, padded or not", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 96 }), (bytes) => {
        const text = Buffer.from(bytes).toString("base64url");
        expect(base64UrlToBytes(text)).toEqual(bytes);
        const padded = Buffer.from(bytes)
          .toString("base64")
          .replace(/\+/g, "-")
          .replace(/\//g, "_");
        expect(base64UrlToBytes(padded)).toEqual(bytes);
      }),
    );
  });

  it("refuses text that is not base64url", () => {
    for (const bad of ["a+b/", "abc$", "A", "abcde", "ab==c", "a b"]) {
      expect(base64UrlToBytes(bad), bad).toBeNull();
    }
  });

  it("takes a VAPID public key (65 bytes, 0x04 first) and nothing else", () => {
    const key = new Uint8Array(65);
    key[0] = 4;
    expect(isVapidKey(key)).toBe(true);
    expect(isVapidKey(key.subarray(1))).toBe(false);
    expect(isVapidKey(new Uint8Array(65))).toBe(false);
  });
});

describe("the service worker's push payload check", () => {
  const parse = workerPayloadCheck();
  const show = {
    type: "show",
    tag: "m:r1:7",
    title: "#general · Ana",
    body: "hello",
    url: "/r/general?m=7",
    roomId: "r1",
    seq: 7,
  };

  it("reads a show and a close payload", () => {
    expect(parse(JSON.stringify(show))).toEqual({
      type: "show",
      tag: "m:r1:7",
      title: "#general · Ana",
      body: "hello",
      url: "/r/general?m=7",
    });
    const { body: _, ...hidden } = show;
    expect(parse(JSON.stringify(hidden))).toMatchObject({ type: "show", body: undefined });
    expect(parse(JSON.stringify({ type: "close", tags: ["m:r1:7"] }))).toEqual({
      type: "close",
      tags: ["m:r1:7"],
    });
  });

  it("refuses what is not a payload", () => {
    for (const bad of [
      "not json",
      "null",
      "[]",
      JSON.stringify({ type: "other" }),
      JSON.stringify({ ...show, seq: 1.5 }),
      // An integer past 2^53 is not one zod's int() takes (the property found it).
      JSON.stringify({ ...show, seq: 1e21 }),
      JSON.stringify({ ...show, title: 3 }),
      JSON.stringify({ ...show, body: null }),
      JSON.stringify({ type: "close", tags: [1] }),
      JSON.stringify({ type: "close" }),
    ]) {
      expect(parse(bad), bad).toBeNull();
    }
  });

  it("agrees with pushPayloadSchema on generated payloads", () => {
    const field = fc.oneof(fc.string(), fc.integer(), fc.constant(undefined), fc.constant(null));
    const candidate = fc.record(
      {
        type: fc.constantFrom("show", "close", "x"),
        tag: field,
        title: field,
        body: field,
        url: field,
        roomId: field,
        seq: fc.oneof(fc.integer(), fc.double(), fc.string()),
        tags: fc.oneof(fc.array(fc.string()), fc.array(fc.integer()), fc.string()),
      },
      { requiredKeys: ["type"] },
    );
    fc.assert(
      fc.property(candidate, (value) => {
        const text = JSON.stringify(value);
        const schema = pushPayloadSchema.safeParse(JSON.parse(text)).success;
        expect(parse(text) !== null).toBe(schema);
      }),
      { numRuns: 20_000 },
    );
  });
});

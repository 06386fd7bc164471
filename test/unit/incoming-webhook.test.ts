import { describe, expect, it } from "vitest";
import { parseHookBody, viaOf } from "../../src/core/incoming-webhook";

const json = "application/json";
const form = "application/x-www-form-urlencoded";

describe("incoming webhook bodies (issue 15)", () => {
  it("reads Slack's JSON body: text kept as written (markdown), overrides by their names", () => {
    expect(
      parseHookBody(
        `${json}; charset=utf-8`,
        JSON.stringify({
          text: "*Build* `42` passed\r\n> see logs",
          username: "  deploy  bot ",
          icon_url: "https://ci.example.test/icon.png",
        }),
      ),
    ).toEqual({
      ok: true,
      text: "*Build* `42` passed\n> see logs",
      username: "deploy bot",
      iconUrl: "https://ci.example.test/icon.png",
    });
  });

  it("reads a form body's payload=<json>, as Slack does", () => {
    const body = new URLSearchParams({ payload: JSON.stringify({ text: "a & b = c" }) }).toString();
    expect(parseHookBody(form, body)).toEqual({ ok: true, text: "a & b = c" });
    expect(parseHookBody(form, "text=hello")).toMatchObject({
      ok: false,
      status: 400,
      error: "invalid_payload",
      message: "invalid_payload: a form body needs payload=<json>",
    });
  });

  it("refuses every bad body with what is wrong", () => {
    const cases: [string | null, string, number, string, string][] = [
      ["text/plain", "hi", 415, "unsupported_media_type", "not text/plain"],
      [null, "{}", 415, "unsupported_media_type", "no Content-Type"],
      [json, "{not json", 400, "invalid_payload", "not valid JSON"],
      [json, "[1]", 400, "invalid_payload", "must be an object"],
      [json, "{}", 400, "no_text", 'no "text"'],
      [json, '{"text": "   "}', 400, "no_text", "is empty"],
      [json, '{"text": 3}', 400, "invalid_payload", "must be a string"],
      [json, '{"text": "a\\u0000b"}', 400, "invalid_payload", "control character"],
      [json, JSON.stringify({ text: "x".repeat(4001) }), 400, "invalid_payload", "longer than"],
      [json, '{"text": "a", "icon_url": "javascript:alert(1)"}', 400, "invalid_payload", "http(s)"],
      [json, '{"text": "a", "username": "a\\u200bb"}', 400, "invalid_payload", '"username"'],
    ];
    for (const [type, body, status, error, words] of cases) {
      const parsed = parseHookBody(type, body);
      expect(parsed, body).toMatchObject({ ok: false, status, error });
      expect(!parsed.ok && parsed.message, body).toContain(words);
    }
  });

  it("via: the webhook's name, and only the overrides the post carried", () => {
    expect(viaOf("CI", { text: "x" })).toEqual({ webhook: "CI" });
    expect(viaOf("CI", { text: "x", username: "bot", iconUrl: "https://i" })).toEqual({
      webhook: "CI",
      username: "bot",
      iconUrl: "https://i",
    });
  });
});

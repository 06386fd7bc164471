import { describe, expect, it } from "vitest";
import { decodeClientFrame } from "../../src/protocol/decode";
import {
  MAX_FILES_PER_MESSAGE,
  MAX_MESSAGE_CHARS,
  MAX_MESSAGE_UNITS,
} from "../../src/protocol/frames";

const send = (extra: object = {}) =>
  JSON.stringify({ type: "send", roomId: "r1", clientId: "c1", text: "hello", ...extra });

describe("decodeClientFrame", () => {
  it("decodes a valid send and trims its text", () => {
    const decoded = decodeClientFrame(send({ text: "  hi there \n" }));
    expect(decoded).toEqual({
      ok: true,
      frame: { type: "send", roomId: "r1", clientId: "c1", text: "hi there" },
    });
  });

  it("accepts the current protocol version and refuses another", () => {
    expect(decodeClientFrame(send({ v: 2 })).ok).toBe(true);
    expect(decodeClientFrame(send({ v: 1 }))).toMatchObject({ ok: false, code: "bad_frame" });
  });

  it("decodes subscribe", () => {
    expect(decodeClientFrame(JSON.stringify({ type: "subscribe", roomId: "r1" }))).toEqual({
      ok: true,
      frame: { type: "subscribe", roomId: "r1" },
    });
  });

  it("decodes pin and refuses one without a boolean `pinned`", () => {
    const pin = { type: "pin", roomId: "r1", messageId: "m1", pinned: true, ref: "a1" };
    expect(decodeClientFrame(JSON.stringify(pin))).toEqual({ ok: true, frame: pin });
    for (const pinned of [undefined, "yes", 1, null]) {
      const decoded = decodeClientFrame(JSON.stringify({ ...pin, pinned }));
      expect(decoded).toMatchObject({ ok: false, code: "bad_frame", ref: "a1" });
      expect(!decoded.ok && decoded.message).toContain("pinned");
    }
  });

  it("decodes save and refuses one without a boolean `saved`", () => {
    const save = { type: "save", roomId: "r1", messageId: "m1", saved: false };
    expect(decodeClientFrame(JSON.stringify(save))).toEqual({ ok: true, frame: save });
    const decoded = decodeClientFrame(JSON.stringify({ ...save, saved: "no" }));
    expect(decoded).toMatchObject({ ok: false, code: "bad_frame" });
    expect(!decoded.ok && decoded.message).toContain("saved");
  });

  it("turns malformed JSON into bad_frame", () => {
    expect(decodeClientFrame("{not json")).toMatchObject({ ok: false, code: "bad_frame" });
    expect(decodeClientFrame("")).toMatchObject({ ok: false, code: "bad_frame" });
  });

  it("refuses an unknown type and non-object JSON", () => {
    expect(decodeClientFrame(JSON.stringify({ type: "shout" }))).toMatchObject({
      ok: false,
      code: "bad_frame",
    });
    for (const raw of ["null", "42", '"send"', "[]"]) {
      expect(decodeClientFrame(raw)).toMatchObject({ ok: false, code: "bad_frame" });
    }
  });

  it("refuses wrong field types and names the field", () => {
    const decoded = decodeClientFrame(send({ roomId: 7 }));
    expect(decoded).toMatchObject({ ok: false, code: "bad_frame" });
    expect(!decoded.ok && decoded.message).toContain("roomId");
  });

  it("refuses empty and whitespace-only text, echoing the clientId", () => {
    for (const text of ["", "   \n\t "]) {
      const decoded = decodeClientFrame(send({ text }));
      expect(decoded).toMatchObject({ ok: false, code: "bad_frame", clientId: "c1" });
      expect(!decoded.ok && decoded.message).toContain("empty");
    }
  });

  it("accepts empty text on a send or edit that carries files, and no more files than allowed", () => {
    expect(decodeClientFrame(send({ text: " ", fileIds: ["f1", "f2"] }))).toEqual({
      ok: true,
      frame: { type: "send", roomId: "r1", clientId: "c1", text: "", fileIds: ["f1", "f2"] },
    });
    const edit = { type: "edit", roomId: "r1", messageId: "m1", text: "" };
    expect(decodeClientFrame(JSON.stringify({ ...edit, fileIds: ["f1"] })).ok).toBe(true);
    expect(decodeClientFrame(JSON.stringify(edit))).toMatchObject({ ok: false, code: "bad_frame" });
    expect(decodeClientFrame(send({ text: "", fileIds: [] }))).toMatchObject({
      ok: false,
      code: "bad_frame",
    });
    const eleven = Array.from({ length: MAX_FILES_PER_MESSAGE + 1 }, (_, i) => `f${i}`);
    expect(decodeClientFrame(send({ fileIds: eleven }))).toMatchObject({
      ok: false,
      code: "bad_frame",
    });
    // Files do not lift the limits on text.
    const long = "x".repeat(MAX_MESSAGE_CHARS + 1);
    expect(decodeClientFrame(send({ text: long, fileIds: ["f1"] }))).toMatchObject({
      ok: false,
      code: "too_large",
    });
  });

  it("refuses text over the limit with too_large, but counts after trimming", () => {
    expect(decodeClientFrame(send({ text: "x".repeat(MAX_MESSAGE_CHARS + 1) }))).toMatchObject({
      ok: false,
      code: "too_large",
      clientId: "c1",
    });
    const padded = `  ${"x".repeat(MAX_MESSAGE_CHARS)}  `;
    expect(decodeClientFrame(send({ text: padded })).ok).toBe(true);
  });

  it("counts graphemes, not code units: 4,000 emoji pass, 4,001 do not", () => {
    const emoji = (n: number) => "😀".repeat(n);
    const family = "👨‍👩‍👧‍👦"; // one grapheme, 11 code units
    expect(decodeClientFrame(send({ text: emoji(MAX_MESSAGE_CHARS) })).ok).toBe(true);
    expect(decodeClientFrame(send({ text: emoji(MAX_MESSAGE_CHARS + 1) }))).toMatchObject({
      ok: false,
      code: "too_large",
      clientId: "c1",
    });
    expect(decodeClientFrame(send({ text: "e\u0301".repeat(MAX_MESSAGE_CHARS) })).ok).toBe(true);
    // The code-unit backstop: few graphemes, many code units.
    const heavy = family.repeat(Math.ceil(MAX_MESSAGE_UNITS / family.length) + 1);
    expect(heavy.length).toBeGreaterThan(MAX_MESSAGE_UNITS);
    expect(decodeClientFrame(send({ text: heavy }))).toMatchObject({ code: "too_large" });
  });

  it("refuses NUL and other control characters with bad_frame; tab and newline are fine", () => {
    for (const text of ["a\u0000b", "a\u0007b", "a\u001bb", "a\u007fb", "a\u0085b"]) {
      const decoded = decodeClientFrame(send({ text }));
      expect(decoded).toMatchObject({ ok: false, code: "bad_frame", clientId: "c1" });
      expect(!decoded.ok && decoded.message).toContain("control character");
    }
    expect(decodeClientFrame(send({ text: "a\tb\nc" }))).toMatchObject({
      ok: true,
      frame: { text: "a\tb\nc" },
    });
  });

  it("stores CR and CRLF as newlines and lone surrogates as U+FFFD, before relaying", () => {
    expect(decodeClientFrame(send({ text: "a\r\nb\rc" }))).toMatchObject({
      frame: { text: "a\nb\nc" },
    });
    // JSON can carry a lone surrogate; storage could not.
    const raw = '{"type":"send","roomId":"r1","clientId":"c1","text":"x\\ud800y\\udfffz"}';
    expect(decodeClientFrame(raw)).toMatchObject({ ok: true, frame: { text: "x\ufffdy\ufffdz" } });
    const edit = '{"type":"edit","roomId":"r1","messageId":"m","text":"\\udc00"}';
    expect(decodeClientFrame(edit)).toMatchObject({ ok: true, frame: { text: "\ufffd" } });
  });

  it("refuses over-long ids", () => {
    expect(decodeClientFrame(send({ clientId: "c".repeat(65) }))).toMatchObject({
      ok: false,
      code: "bad_frame",
    });
  });
});

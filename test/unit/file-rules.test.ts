import { describe, expect, it } from "vitest";
import { etagMatches, parseRange } from "../../src/core/files/byte-range";
import {
  contentDisposition,
  MAX_FILE_NAME,
  megabytes,
  sanitizeFileName,
} from "../../src/core/files/file-names";
import { parseConfig } from "../../src/env";
import { looksLikeText } from "../../src/server/files/upload-sniff.server";
import { sweepEveryMs } from "../../src/server/files/upload-sweep.server";

describe("sanitizeFileName", () => {
  it.each([
    ["report.pdf", "report.pdf"],
    ["../../etc/passwd", "passwd"],
    ["a\\b\\c.txt", "c.txt"],
    ["dir/", "file"],
    ["..", "file"],
    [".", "file"],
    ["   ", "file"],
    ["\u0000\u0007", "file"],
    ["x\u202Etxt.exe", "xtxt.exe"],
    ["  spaced.txt  ", "spaced.txt"],
    ["e\u0301.txt", "\u00e9.txt"],
  ])("%j -> %j", (given, expected) => {
    expect(sanitizeFileName(given)).toBe(expected);
  });

  it("caps long names at MAX_FILE_NAME characters and keeps the extension", () => {
    const name = sanitizeFileName(`${"x".repeat(500)}.tar.gz`);
    expect(Array.from(name)).toHaveLength(MAX_FILE_NAME);
    expect(name.endsWith(".gz")).toBe(true);
    // An "extension" too long to be one is not kept whole.
    const odd = sanitizeFileName(`a.${"y".repeat(400)}`);
    expect(Array.from(odd)).toHaveLength(MAX_FILE_NAME);
  });

  it("counts characters, not UTF-16 units, when capping", () => {
    const name = sanitizeFileName(`${"😀".repeat(300)}.png`);
    expect(Array.from(name)).toHaveLength(MAX_FILE_NAME);
    expect(name.endsWith(".png")).toBe(true);
  });
});

describe("contentDisposition", () => {
  it("gives an ASCII stand-in and the UTF-8 name (RFC 6266)", () => {
    expect(contentDisposition("attachment", 'résumé "final".pdf')).toBe(
      `attachment; filename="r_sum_ _final_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.pdf`,
    );
    expect(contentDisposition("inline", "it's (1).png")).toBe(
      `inline; filename="it's (1).png"; filename*=UTF-8''it%27s%20%281%29.png`,
    );
  });
});

describe("parseRange", () => {
  it.each([
    [null, 10, { kind: "whole" }],
    ["bytes=0-3", 10, { kind: "range", range: { start: 0, end: 3 } }],
    ["bytes=5-", 10, { kind: "range", range: { start: 5, end: 9 } }],
    ["bytes=-4", 10, { kind: "range", range: { start: 6, end: 9 } }],
    ["bytes=-40", 10, { kind: "range", range: { start: 0, end: 9 } }],
    ["bytes=8-100", 10, { kind: "range", range: { start: 8, end: 9 } }],
    ["bytes=10-12", 10, { kind: "unsatisfiable" }],
    ["bytes=99-", 10, { kind: "unsatisfiable" }],
    ["bytes=10-", 10, { kind: "unsatisfiable" }],
    ["bytes=9-", 10, { kind: "range", range: { start: 9, end: 9 } }],
    ["bytes=-0", 10, { kind: "unsatisfiable" }],
    ["bytes=0-0", 0, { kind: "unsatisfiable" }],
    ["bytes=5-2", 10, { kind: "whole" }],
    ["bytes=0-1,4-5", 10, { kind: "whole" }],
    ["items=0-1", 10, { kind: "whole" }],
    ["bytes=-", 10, { kind: "whole" }],
  ] as const)("%j of %d bytes", (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });
});

describe("etagMatches", () => {
  it("matches the tag in a list, weakly, and *", () => {
    expect(etagMatches('"a"', '"a"')).toBe(true);
    expect(etagMatches('"b", W/"a"', '"a"')).toBe(true);
    expect(etagMatches("*", '"a"')).toBe(true);
    expect(etagMatches('"b"', '"a"')).toBe(false);
    expect(etagMatches(null, '"a"')).toBe(false);
  });
});

describe("looksLikeText", () => {
  it("takes UTF-8 without control characters as text", () => {
    expect(looksLikeText(Buffer.from("hello\tworld\r\nnaïve\f"))).toBe(true);
    expect(looksLikeText(Buffer.from("<svg><script>1</script></svg>"))).toBe(true);
    expect(looksLikeText(Buffer.from([0x68, 0x00, 0x69]))).toBe(false);
    expect(looksLikeText(Buffer.from([0xff, 0xfe, 0x41]))).toBe(false);
    expect(looksLikeText(new Uint8Array(0))).toBe(false);
  });

  it("does not refuse a character cut at the sample's end", () => {
    const text = Buffer.from(`${"a".repeat(4095)}é`);
    expect(text.byteLength).toBe(4097);
    expect(looksLikeText(text)).toBe(true);
  });
});

describe("the unclaimed-file settings", () => {
  it("reads PARLEY_UNCLAIMED_FILE_HOURS as a fraction of hours, default 24", () => {
    expect(parseConfig({}).files.unclaimedMs).toBe(24 * 3_600_000);
    expect(parseConfig({ PARLEY_UNCLAIMED_FILE_HOURS: "0.5" }).files.unclaimedMs).toBe(1_800_000);
    for (const bad of ["0", "-1", "soon", "1e3"]) {
      expect(() => parseConfig({ PARLEY_UNCLAIMED_FILE_HOURS: bad })).toThrow(
        /PARLEY_UNCLAIMED_FILE_HOURS/,
      );
    }
  });

  it("sweeps hourly, more often for short ages, never more than once a second", () => {
    expect(sweepEveryMs(24 * 3_600_000)).toBe(3_600_000);
    expect(sweepEveryMs(3_600_000)).toBe(900_000);
    expect(sweepEveryMs(100)).toBe(1_000);
  });

  it("names the limit in MB", () => {
    expect(megabytes(25 * 1024 * 1024)).toBe("25 MB");
  });
});

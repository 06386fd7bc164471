import { describe, expect, it } from "vitest";
import { fileTypeLabel, fitWithin, formatFileSize } from "../../src/client/file-format";

describe("formatFileSize", () => {
  it("uses B, KB, MB and GB, one decimal under ten", () => {
    expect(formatFileSize(0)).toBe("0 B");
    expect(formatFileSize(1023)).toBe("1023 B");
    expect(formatFileSize(1024)).toBe("1 KB");
    expect(formatFileSize(1536)).toBe("1.5 KB");
    expect(formatFileSize(1.2 * 1024 * 1024)).toBe("1.2 MB");
    expect(formatFileSize(20 * 1024 * 1024)).toBe("20 MB");
    expect(formatFileSize(3 * 1024 ** 3)).toBe("3 GB");
  });

  it("never says 1024 of a unit, and survives bad input", () => {
    expect(formatFileSize(1024 * 1024 - 1)).toBe("1 MB");
    expect(formatFileSize(Number.NaN)).toBe("0 B");
    expect(formatFileSize(-5)).toBe("0 B");
  });
});

describe("fileTypeLabel", () => {
  it("names known types, else the subtype, else the extension", () => {
    expect(fileTypeLabel("application/pdf", "report.pdf")).toBe("PDF");
    expect(fileTypeLabel("text/plain; charset=utf-8", "a.txt")).toBe("Text");
    expect(fileTypeLabel("image/svg+xml", "logo.svg")).toBe("SVG image");
    expect(fileTypeLabel("audio/mpeg", "song.mp3")).toBe("MPEG audio");
    expect(fileTypeLabel("application/x-bzip2", "a.bz2")).toBe("BZIP2");
    expect(fileTypeLabel("application/octet-stream", "notes.md")).toBe("MD file");
    expect(fileTypeLabel("application/octet-stream", "README")).toBe("File");
  });
});

describe("fitWithin", () => {
  it("keeps the aspect ratio inside the box and never enlarges", () => {
    expect(fitWithin(640, 480, { width: 320, height: 240 })).toEqual({ width: 320, height: 240 });
    expect(fitWithin(400, 100, { width: 320, height: 240 })).toEqual({ width: 320, height: 80 });
    expect(fitWithin(100, 400, { width: 320, height: 240 })).toEqual({ width: 60, height: 240 });
    expect(fitWithin(50, 40, { width: 320, height: 240 })).toEqual({ width: 50, height: 40 });
    expect(fitWithin(undefined, 40, { width: 320, height: 240 })).toEqual({
      width: 320,
      height: 240,
    });
  });
});

import { describe, expect, it } from "vitest";
import { messageSnippet } from "../../src/client/message-snippet";
import type { WireFile } from "../../src/protocol/frames";

const file = (name: string): WireFile => ({
  id: name,
  name,
  size: 10,
  type: "application/pdf",
  image: false,
});

describe("messageSnippet", () => {
  it("is the text when there is any, files or not", () => {
    expect(messageSnippet({ text: "see  the\nreport", files: [file("a.pdf")] })).toBe(
      "see the report",
    );
  });

  it("names the files of a message of files alone", () => {
    expect(messageSnippet({ text: "", files: [file("a.pdf")] })).toBe("File: a.pdf");
    expect(messageSnippet({ text: "", files: [file("a.pdf"), file("b.png")] })).toBe(
      "2 files: a.pdf, b.png",
    );
  });

  it("is empty for an empty message without files (a deleted one), and keeps the cap", () => {
    expect(messageSnippet({ text: "" })).toBe("");
    const names = Array.from({ length: 10 }, (_, i) => file(`report-${i}-final.pdf`));
    expect(messageSnippet({ text: "", files: names }, 40)).toHaveLength(40);
  });
});

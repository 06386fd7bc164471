import { describe, expect, it } from "vitest";
import { EXPORT_VERSION, parseExportLine } from "../../src/core/export-format";

const header = {
  type: "header",
  format: "parley-export",
  version: EXPORT_VERSION,
  exportedAt: 1,
  scope: "server",
};

describe("parseExportLine", () => {
  it("accepts a line of each type", () => {
    expect(parseExportLine(JSON.stringify(header), 1)).toMatchObject({ ok: true });
    const end = { type: "end", counts: { users: 0, rooms: 0, members: 0, messages: 0 } };
    expect(parseExportLine(JSON.stringify(end), 2)).toMatchObject({ ok: true, line: end });
  });

  it("names the line and the field it refuses", () => {
    expect(parseExportLine("{", 3)).toEqual({ ok: false, error: "line 3: not JSON" });
    const bad = parseExportLine(JSON.stringify({ ...header, version: 99 }), 1);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/^line 1: .* at version$/);
    const unknown = parseExportLine(JSON.stringify({ type: "pigeon" }), 7);
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.error).toMatch(/^line 7: /);
    const message = parseExportLine(
      JSON.stringify({ type: "message", id: "m", roomId: "r", seq: 0 }),
      9,
    );
    expect(message.ok).toBe(false);
    if (!message.ok) expect(message.error).toMatch(/^line 9: .* at seq$/);
  });
});

import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { STEPS } from "../../src/server/storage/migrations/index";

// One file per schema step; the index is the order. A step file that is not
// listed would never run, and a step out of order would run out of order.
describe("migration steps", () => {
  const names = STEPS.map(([name]) => name);

  it("lists every step file once, in number order", () => {
    const files = readdirSync("src/server/storage/migrations")
      .filter((file) => /^\d{4}_.*\.ts$/.test(file))
      .map((file) => file.replace(/\.ts$/, ""))
      .sort();
    expect(names).toEqual(files);
    expect(names).toEqual([...names].sort());
    expect(new Set(names.map((name) => name.slice(0, 4))).size).toBe(names.length);
  });
});

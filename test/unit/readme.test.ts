import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ENV_DOCS } from "../../src/env";

// The README's promises are part of the product: keep them true.
describe("README", () => {
  const readme = readFileSync("README.md", "utf8");

  it("gives the two commands first", () => {
    const start = readme.indexOf("npm install && npm start");
    const test = readme.indexOf("npm test");
    expect(start).toBeGreaterThan(0);
    expect(test).toBeGreaterThan(start);
    expect(readme.indexOf("## ")).toBeGreaterThan(test);
  });

  it("documents every environment variable the config reads", () => {
    for (const [name] of ENV_DOCS) expect(readme).toContain(`| \`${name}\``);
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { envTable, withEnvTable } from "../../scripts/lib/env-table";
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

  it("shows the configuration table generated from src/env.ts (run `npm run env-table`)", () => {
    expect(readme).toBe(withEnvTable(readme, envTable()));
  });
});

describe("ENV_DOCS", () => {
  const byName = new Map(ENV_DOCS.map(([name, unset, meaning]) => [name, { unset, meaning }]));

  it("takes each default from the schema unless the entry says what unset means", () => {
    expect(byName.get("PARLEY_RATE_PER_SECOND")?.unset).toBe("`10`");
    expect(byName.get("PARLEY_HEARTBEAT_SECONDS")?.unset).toBe("`25`");
    expect(byName.get("PARLEY_TRUST_PROXY")?.unset).toBe("`false`");
    expect(byName.get("PARLEY_ALLOWED_ORIGINS")?.unset).toBe("(none)");
    expect(byName.get("HOST")?.unset).toBe("all interfaces");
  });

  it("lists each variable once, aliases only inside their entry", () => {
    expect(new Set(byName.keys()).size).toBe(ENV_DOCS.length);
    expect(byName.has("NITRO_PORT")).toBe(false);
    expect(byName.get("PORT")?.meaning).toContain("NITRO_PORT");
    for (const [, unset, meaning] of ENV_DOCS) expect(unset && meaning).toBeTruthy();
  });
});

// Writes a run's results: latest.json, latest.md and latest.svg in the
// output folder, and (for the committed folder) the README's results section.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chart } from "./chart.ts";
import { markdown, type Results } from "./report.ts";

const README = "bench/README.md";
const README_START = "<!-- results:start -->";
const README_END = "<!-- results:end -->";

/** Writes every output of `results`; returns the markdown tables. */
export function writeResults(results: Results, outDir: string): string {
  mkdirSync(outDir, { recursive: true });
  const table = markdown(results);
  writeFileSync(join(outDir, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(
    join(outDir, "latest.md"),
    `# Latest bench results\n\n${table}\n\n![chart](latest.svg)\n`,
  );
  writeFileSync(join(outDir, "latest.svg"), `${chart(results.fanout)}\n`);
  // The README shows the latest committed run: refresh it only when the
  // results went to the committed folder.
  if (outDir === "bench/results") {
    const [before, rest] = readFileSync(README, "utf8").split(README_START);
    const after = rest?.split(README_END)[1];
    if (before !== undefined && after !== undefined) {
      const shifted = table.replace(/^## /gm, "### ");
      writeFileSync(
        README,
        `${before}${README_START}\n${shifted}\n\n![chart](results/latest.svg)\n${README_END}${after}`,
      );
      // Biome formats markdown too (it aligns table columns): keep `biome check` clean.
      execFileSync("npx", ["biome", "format", "--write", README], { stdio: "ignore" });
    }
  }
  return table;
}

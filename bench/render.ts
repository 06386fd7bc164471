// `node bench/render.ts [results.json]`: renders the tables, chart and the
// README section again from a saved run (after a change to the report).
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { writeResults } from "./lib/output.ts";
import type { Results } from "./lib/report.ts";

const file = process.argv[2] ?? "bench/results/latest.json";
const results = JSON.parse(readFileSync(file, "utf8")) as Results;
console.log(writeResults(results, dirname(file)));

// `npm run env-table`: rewrites README.md's configuration table from the
// environment schema in src/env.ts (the one place a variable's default and
// meaning are written). Run it after adding or changing a variable.
import { readFileSync, writeFileSync } from "node:fs";
import { withEnvTable } from "./lib/env-table.ts";

const path = new URL("../README.md", import.meta.url);
const before = readFileSync(path, "utf8");
const after = withEnvTable(before);
if (after === before) console.log("README.md: configuration table already current");
else {
  writeFileSync(path, after);
  console.log("README.md: configuration table rewritten");
}

// `npm run theme-palette`: rewrites src/styles.css's palette block (each
// colour as light-dark(light, dark twin)) from Tailwind's own palette; see
// scripts/lib/theme-palette.ts for why the dark twins keep every contrast.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { withPalette } from "./lib/theme-palette.ts";

const require = createRequire(import.meta.url);
const themeCss = readFileSync(require.resolve("tailwindcss/theme.css"), "utf8");
const path = new URL("../src/styles.css", import.meta.url);
const before = readFileSync(path, "utf8");
const after = withPalette(before, themeCss);
if (after === before) console.log("src/styles.css: palette already current");
else {
  writeFileSync(path, after);
  console.log("src/styles.css: palette rewritten");
}

import { existsSync } from "node:fs";

/** Integration and browser tests run the production build; refuse to start without it. */
export default function requireBuild() {
  if (!existsSync(".output/server/index.mjs")) {
    throw new Error("No production build in .output/: run `npm run build` first (npm test does).");
  }
}

// `npm run restore -- <file> [--force]`: puts a backup made by `npm run
// backup` back as the database (and secrets) of the data folder the
// server's variables name. Refuses while a server runs on it, over
// existing data without --force, and for a file that is not a Parley
// database; a refusal changes nothing (scripts/lib/backup.ts).
import { resolve } from "node:path";
import { parseConfig } from "../src/env.ts";
import { BackupError, restoreDatabase } from "./lib/backup.ts";
import { cliArguments, configOrExit, filesAdvice, POSTGRES_ADVICE } from "./lib/backup-cli.ts";

const { file, force } = cliArguments("restore", process.argv.slice(2));
const config = configOrExit("restore", () => parseConfig(process.env));
if (config.database.kind === "postgres") {
  console.error(POSTGRES_ADVICE);
  process.exit(2);
}
try {
  const summary = restoreDatabase({
    source: resolve(file),
    databasePath: config.database.path,
    dataDir: config.dataDir,
    force,
  });
  console.log(
    `restored ${resolve(file)} to ${config.database.path}: ${summary.users} users, ${summary.rooms} rooms, ${summary.messages} messages; wrote ${summary.files.join(", ") || "no secret files"}`,
  );
  for (const warning of summary.warnings) console.warn(`warning: ${warning}`);
  console.log(filesAdvice(config.files.store, "restore"));
} catch (error) {
  if (!(error instanceof BackupError)) throw error;
  console.error(`npm run restore: ${error.message}`);
  process.exit(1);
}

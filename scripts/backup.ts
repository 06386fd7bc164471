// `npm run backup -- <file> [--force]`: copies the SQLite database (and the
// data folder's secrets) into one file while the server runs, with SQLite's
// online backup API (scripts/lib/backup.ts). Reads the server's own
// variables (DATABASE_URL, PARLEY_DATA_DIR, PARLEY_FILES_URL). With a
// PostgreSQL DATABASE_URL it prints the pg_dump advice and exits 2.
import { resolve } from "node:path";
import { parseConfig } from "../src/env.ts";
import { BackupError, backupDatabase } from "./lib/backup.ts";
import { cliArguments, configOrExit, filesAdvice, POSTGRES_ADVICE } from "./lib/backup-cli.ts";

const { file, force } = cliArguments("backup", process.argv.slice(2));
const config = configOrExit("backup", () => parseConfig(process.env));
if (config.database.kind === "postgres") {
  console.error(POSTGRES_ADVICE);
  process.exit(2);
}
try {
  const target = resolve(file);
  const summary = await backupDatabase({
    databasePath: config.database.path,
    dataDir: config.dataDir,
    target,
    force,
  });
  console.log(
    `backed up ${config.database.path} to ${target}: ${summary.users} users, ${summary.rooms} rooms, ${summary.messages} messages; carried ${summary.files.join(", ") || "no secret files"}`,
  );
  console.log(filesAdvice(config.files.store, "backup"));
} catch (error) {
  if (!(error instanceof BackupError)) throw error;
  console.error(`npm run backup: ${error.message}`);
  process.exit(1);
}

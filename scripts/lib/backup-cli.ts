// The parts `npm run backup` and `npm run restore` share: their arguments,
// the config, and the advice they print.
import type { Config, FilesStoreConfig } from "../../src/env.ts";

export const POSTGRES_ADVICE = `DATABASE_URL is PostgreSQL: this command backs up SQLite only. Use PostgreSQL's own tools:
  pg_dump --format=custom --file=parley.dump "$DATABASE_URL"
and, into an empty database, with every instance stopped:
  pg_restore --no-owner --dbname="$DATABASE_URL" parley.dump
Keep BETTER_AUTH_SECRET and the VAPID keys with the dump (README "Backup and restore").`;

/** `<file>` and an optional `--force`; anything else is a usage error (exit 1). */
export function cliArguments(command: string, args: string[]): { file: string; force: boolean } {
  const force = args.includes("--force");
  const rest = args.filter((arg) => arg !== "--force");
  const unknown = rest.find((arg) => arg.startsWith("-"));
  if (rest.length !== 1 || unknown) {
    console.error(
      `${unknown ? `unknown option ${unknown}\n` : ""}usage: npm run ${command} -- <file> [--force]`,
    );
    process.exit(1);
  }
  return { file: rest[0] as string, force };
}

/** The server's config from the environment; a bad variable is named and exits 1. */
export function configOrExit(command: string, read: () => Config): Config {
  try {
    return read();
  } catch (error) {
    console.error(`npm run ${command}: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}

/** What to do about uploaded files, which the backup file does not hold. */
export function filesAdvice(store: FilesStoreConfig, step: "backup" | "restore"): string {
  if (store.kind === "s3") {
    return `uploaded files are in s3://${store.bucket}/${store.prefix}: keep them with your storage provider's versioning or replication`;
  }
  return step === "backup"
    ? `uploaded files are not in the backup: copy them now, after it, e.g. rsync -a ${store.dir}/ <backup-folder>/files/`
    : `uploaded files are not in the backup: copy them back, e.g. rsync -a <backup-folder>/files/ ${store.dir}/`;
}

// What `npm run backup` and `npm run restore` do (scripts/backup.ts,
// scripts/restore.ts), apart from reading arguments and printing. A backup
// is one SQLite file: the database as SQLite's online backup API copied it
// (consistent while the server writes, thanks to WAL), switched to a
// rollback journal so it is self-contained, plus two tables of its own:
// `parley_backup_info` (format, when) and `parley_backup_file` (the data
// folder's small secrets: `auth-secret` signs sessions and encrypts
// two-factor secrets, `vapid.json` signs Web Push; without them a restored
// server would lock people out of 2FA and lose push subscriptions).
// Uploaded files are not inside: an operator copies the files folder after
// the backup (README "Backup and restore" says why that order is safe).
import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { backup, DatabaseSync } from "node:sqlite";
import {
  DatabaseInUseError,
  holdDatabaseLock,
  lockPathOf,
} from "../../src/server/storage/data-lock.server.ts";

/** A refusal or failure the operator can act on: printed as is, exit 1. */
export class BackupError extends Error {
  override name = "BackupError";
}

/** Files of the data folder a backup carries (small secrets; see the header). */
export const CARRIED_FILES = ["auth-secret", "vapid.json"] as const;

const FORMAT = "1";
/** The largest step node:sqlite's backup() takes (a positive int32). */
const ALL_PAGES = 2 ** 31 - 1;
const SQLITE_HEADER = "SQLite format 3\0";

/** What a backup or a restore found in the database, for its closing line. */
export type Summary = { users: number; rooms: number; messages: number; files: string[] };

/**
 * Copies the live database at `databasePath` into `target` (a new file;
 * `force` replaces one) with the data folder's secrets. Writes
 * `<target>.partial` first and renames it, so a failed backup never leaves
 * a file that looks whole.
 */
export async function backupDatabase(options: {
  databasePath: string;
  dataDir: string;
  target: string;
  force?: boolean;
}): Promise<Summary> {
  const { databasePath, dataDir, target } = options;
  if (!existsSync(databasePath)) {
    throw new BackupError(
      `no database at ${databasePath} (check DATABASE_URL and PARLEY_DATA_DIR)`,
    );
  }
  if (existsSync(target) && !options.force) {
    throw new BackupError(
      `${target} already exists: choose a new file, or add --force to replace it`,
    );
  }
  if (!existsSync(dirname(target)) || !statSync(dirname(target)).isDirectory()) {
    throw new BackupError(`the folder ${dirname(target)} does not exist`);
  }
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const source = new DatabaseSync(databasePath, { timeout: 5_000 });
  try {
    // One step of more pages than any database has copies every page inside
    // one read transaction: a consistent snapshot however busy the server
    // is, and never restarted by its writes as a paged copy would be.
    await backup(source, partial, { rate: ALL_PAGES });
  } catch (error) {
    rmSync(partial, { force: true });
    throw new BackupError(`could not copy ${databasePath}: ${messageOf(error)}`);
  } finally {
    source.close();
  }
  // Password hashes and session tokens are inside: owner-only.
  chmodSync(partial, 0o600);
  const copy = new DatabaseSync(partial);
  let summary: Summary;
  try {
    copy.exec("PRAGMA journal_mode = DELETE");
    copy.exec(`CREATE TABLE parley_backup_info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE parley_backup_file (name TEXT PRIMARY KEY, mode INTEGER NOT NULL, content BLOB NOT NULL);`);
    const info = copy.prepare("INSERT INTO parley_backup_info (key, value) VALUES (?, ?)");
    info.run("format", FORMAT);
    info.run("created_at", new Date().toISOString());
    const put = copy.prepare(
      "INSERT INTO parley_backup_file (name, mode, content) VALUES (?, ?, ?)",
    );
    const files: string[] = [];
    for (const name of CARRIED_FILES) {
      const path = join(dataDir, name);
      if (!existsSync(path)) continue;
      put.run(name, statSync(path).mode & 0o777, readFileSync(path));
      files.push(name);
    }
    checkIntegrity(copy, partial);
    summary = { ...countsOf(copy), files };
  } catch (error) {
    copy.close();
    rmSync(partial, { force: true });
    throw error instanceof BackupError
      ? error
      : new BackupError(`could not finish ${target}: ${messageOf(error)}`);
  }
  copy.close();
  renameSync(partial, target);
  return summary;
}

/**
 * Restores `source` (a backup, or a plain copy of a Parley SQLite database)
 * as the database at `databasePath`, and the secrets it carries into
 * `dataDir`. Refuses while a server holds the database's lock, when the
 * target already has data (unless `force`), and when `source` is not a
 * Parley database; a refusal changes nothing.
 */
export function restoreDatabase(options: {
  source: string;
  databasePath: string;
  dataDir: string;
  force?: boolean;
}): Summary & { warnings: string[] } {
  const { source, databasePath, dataDir } = options;
  checkSourceFile(source);
  const lockPath = lockPathOf(databasePath);
  const hadLock = existsSync(lockPath);
  // The first folder this restore made (undefined when all existed): a
  // refusal removes it, so nothing is left behind.
  const made = mkdirSync(dirname(databasePath), { recursive: true, mode: 0o700 });
  if (made) chmodSync(dirname(databasePath), 0o700);
  let release: () => void;
  try {
    release = holdDatabaseLock(databasePath);
  } catch (error) {
    if (made) rmSync(made, { recursive: true, force: true });
    if (error instanceof DatabaseInUseError) {
      throw new BackupError(`refusing to restore: ${error.message}`);
    }
    throw error;
  }
  // Undoes what this restore created when it refuses, so nothing changed.
  const undo = () => {
    release();
    if (made) rmSync(made, { recursive: true, force: true });
    else if (!hadLock) rmSync(lockPath, { force: true });
  };
  const temp = `${databasePath}.restoring`;
  try {
    const present = [
      databasePath,
      `${databasePath}-wal`,
      ...CARRIED_FILES.map((name) => join(dataDir, name)),
    ].filter((path) => existsSync(path) && statSync(path).size > 0);
    if (present.length > 0 && !options.force) {
      throw new BackupError(
        `refusing to restore over existing data (${present.join(", ")}): restore into an empty data folder, or add --force to replace it`,
      );
    }
    rmSync(temp, { force: true });
    // Copied, not read into memory: a database can be gigabytes.
    copyFileSync(source, temp);
    chmodSync(temp, 0o600);
    const carried = readBackup(temp, source);
    // The old WAL and its index belong to the replaced database: left
    // beside the new file, SQLite would replay them into it.
    rmSync(`${databasePath}-wal`, { force: true });
    rmSync(`${databasePath}-shm`, { force: true });
    renameSync(temp, databasePath);
    chmodSync(databasePath, 0o600);
    const warnings: string[] = [];
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    for (const file of carried.files) {
      const path = join(dataDir, file.name);
      writeFileSync(path, file.content, { mode: 0o600 });
      chmodSync(path, 0o600);
    }
    if (!carried.files.some((file) => file.name === "auth-secret")) {
      warnings.push(
        "the backup carries no auth-secret: set BETTER_AUTH_SECRET to the old server's value, or people must sign in again and two-factor codes will not verify",
      );
    }
    release();
    return { ...carried.summary, files: carried.files.map((file) => file.name), warnings };
  } catch (error) {
    rmSync(temp, { force: true });
    undo();
    throw error instanceof BackupError
      ? error
      : new BackupError(`restore failed: ${messageOf(error)}`);
  }
}

/** The source exists, is a file, and starts as an SQLite database does. */
function checkSourceFile(source: string): void {
  if (!existsSync(source)) throw new BackupError(`no such file: ${source}`);
  if (!statSync(source).isFile()) throw new BackupError(`${source} is not a file`);
  const head = Buffer.alloc(16);
  const fd = openSync(source, "r");
  const read = readSync(fd, head, 0, 16, 0);
  closeSync(fd);
  if (read < 16 || head.toString("latin1") !== SQLITE_HEADER) {
    throw new BackupError(`${source} is not an SQLite database (not a Parley backup)`);
  }
}

/**
 * Checks the copy at `path` is a whole Parley database, takes out the
 * carried files and drops the backup's own tables, so what is left is the
 * database exactly as it was.
 */
function readBackup(
  path: string,
  source: string,
): { summary: Omit<Summary, "files">; files: { name: string; content: Uint8Array }[] } {
  const db = new DatabaseSync(path);
  try {
    checkIntegrity(db, source);
    const tables = new Set(
      (
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
          name: string;
        }[]
      ).map((row) => row.name),
    );
    for (const needed of ["user", "room", "message"]) {
      if (!tables.has(needed)) {
        throw new BackupError(
          `${source} is an SQLite database but not Parley's (no ${needed} table)`,
        );
      }
    }
    let files: { name: string; content: Uint8Array }[] = [];
    if (tables.has("parley_backup_file")) {
      const rows = db.prepare("SELECT name, content FROM parley_backup_file").all() as {
        name: string;
        content: Uint8Array;
      }[];
      // Only the names a backup writes: a crafted file cannot aim elsewhere.
      files = rows.filter((row) => (CARRIED_FILES as readonly string[]).includes(row.name));
      db.exec("DROP TABLE parley_backup_file");
    }
    if (tables.has("parley_backup_info")) db.exec("DROP TABLE parley_backup_info");
    return { summary: countsOf(db), files };
  } catch (error) {
    throw error instanceof BackupError ? error : new BackupError(`${source}: ${messageOf(error)}`);
  } finally {
    db.close();
  }
}

function checkIntegrity(db: DatabaseSync, name: string): void {
  let answer: string;
  try {
    answer = String(
      (db.prepare("PRAGMA quick_check").get() as { quick_check: string }).quick_check,
    );
  } catch (error) {
    throw new BackupError(`${name} is not a readable SQLite database: ${messageOf(error)}`);
  }
  if (answer !== "ok") throw new BackupError(`${name} is damaged: ${answer}`);
}

function countsOf(db: DatabaseSync): Omit<Summary, "files"> {
  const count = (table: string) =>
    Number((db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n);
  return { users: count("user"), rooms: count("room"), messages: count("message") };
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type Frame, type TestSocket } from "../helpers/clients";
import {
  closeAll,
  joinAs,
  type Member,
  roomIdFromReady,
  runExpectingExit,
  sendAndAck,
  storedMessages,
  type WireMessage,
} from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";

type Run = { code: number; stdout: string; stderr: string };

/** Runs `npm run backup` / `npm run restore` (the script itself) with the server's variables for `dataDir`. */
function run(
  script: "backup" | "restore",
  args: string[],
  dataDir: string,
  env = {},
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [`scripts/${script}.ts`, ...args],
      {
        env: {
          ...process.env,
          PARLEY_DATA_DIR: dataDir,
          DATABASE_URL: join(dataDir, "parley.db"),
          ...env,
        },
      },
      (error, stdout, stderr) => {
        const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const freshDir = (name: string) => join(mkdtempSync(join(tmpdir(), `parley-${name}-`)), "data");

/** The whole history of a room over the socket: subscribe from seq 0 and read to `done`. */
async function historyOver(socket: TestSocket, roomId: string): Promise<WireMessage[]> {
  const start = socket.frames.length;
  socket.send({ type: "subscribe", roomId, afterSeq: 0 });
  const mine = (f: Frame) =>
    f.type === "history" && f.roomId === roomId && socket.frames.indexOf(f) >= start;
  await socket.next((f) => mine(f) && f.done === true, 10_000);
  return socket.frames.filter(mine).flatMap((f) => f.messages as WireMessage[]);
}

/** A file's bytes, or undefined when it is missing. */
const bytesOf = (path: string) => (existsSync(path) ? readFileSync(path) : undefined);

let source: RunningServer;
let alice: Member;
let general: string;
const sockets: TestSocket[] = [];
const servers: RunningServer[] = [];

beforeAll(async () => {
  source = await startServer();
  servers.push(source);
  alice = await joinAs(source.url);
  sockets.push(alice.socket);
  general = roomIdFromReady(alice.socket, "general");
  // The server itself uses BETTER_AUTH_SECRET here; a file in its place
  // shows the backup carries the data folder's secrets byte for byte.
  writeFileSync(join(source.dataDir, "auth-secret"), `${randomUUID()}${randomUUID()}\n`, {
    mode: 0o600,
  });
});
afterAll(async () => {
  await closeAll(sockets);
  for (const server of servers) await server.stop();
});

describe("npm run backup and npm run restore", () => {
  it("backs up a running server while it writes; a server on the restored folder has the same history and seq", async () => {
    for (let i = 0; i < 20; i++) await sendAndAck(alice.socket, general, `before backup ${i}`);
    const target = join(mkdtempSync(join(tmpdir(), "parley-backup-file-")), "parley.backup");
    // Sends keep arriving while the backup copies: its snapshot must be
    // one consistent prefix of the history (gap-free seq), whatever it caught.
    const during = Promise.all(
      Array.from({ length: 20 }, (_, i) => sendAndAck(alice.socket, general, `during ${i}`)),
    );
    const backup = await run("backup", [target], source.dataDir);
    await during;
    expect(backup.stderr).toBe("");
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/backed up .* messages; carried auth-secret/);
    expect(backup.stdout).toContain("uploaded files are not in the backup");
    expect((statSync(target).mode & 0o777).toString(8)).toBe("600");
    expect(existsSync(`${target}.partial`)).toBe(false);

    const restoredDir = freshDir("restored");
    const restore = await run("restore", [target], restoredDir);
    expect(restore.stderr).toBe("");
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(/restored .* wrote auth-secret/);
    expect(bytesOf(join(restoredDir, "auth-secret"))).toEqual(
      bytesOf(join(source.dataDir, "auth-secret")),
    );
    expect((statSync(join(restoredDir, "parley.db")).mode & 0o777).toString(8)).toBe("600");
    const vapid = bytesOf(join(source.dataDir, "vapid.json"));
    if (vapid) expect(bytesOf(join(restoredDir, "vapid.json"))).toEqual(vapid);
    // The backup's own tables are gone: the database is as it was.
    const check = new DatabaseSync(join(restoredDir, "parley.db"));
    const tables = check
      .prepare("SELECT name FROM sqlite_master WHERE name LIKE 'parley_backup%'")
      .all();
    check.close();
    expect(tables).toEqual([]);

    const restored = await startServer({ dataDir: restoredDir });
    servers.push(restored);
    // The session came back with the database (same BETTER_AUTH_SECRET).
    const socket = await connect(restored.url, alice.cookie);
    sockets.push(socket);
    const history = await historyOver(socket, roomIdFromReady(socket, "general"));
    const seqs = history.map((m) => m.seq);
    expect(seqs.length).toBeGreaterThanOrEqual(20);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    const original = storedMessages(source.dataDir, general).slice(0, seqs.length);
    expect(history.map((m) => [m.id, m.seq, m.text])).toEqual(
      original.map((m) => [m.id, m.seq, m.text]),
    );
    // Seq continues where the backup ended.
    const next = await sendAndAck(socket, roomIdFromReady(socket, "general"), "after restore");
    expect(next.seq).toBe(seqs.length + 1);
    // The lock is the restored server's now: a restore over it is refused.
    const busy = await run("restore", [target, "--force"], restoredDir);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain("in use by a running Parley server");
  });

  it("refuses to restore onto a running server's folder and changes nothing", async () => {
    const target = join(mkdtempSync(join(tmpdir(), "parley-backup-file-")), "b.db");
    expect((await run("backup", [target], source.dataDir)).code).toBe(0);
    await sendAndAck(alice.socket, general, "after the backup");
    const before = storedMessages(source.dataDir, general);
    const refused = await run("restore", [target, "--force"], source.dataDir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refusing to restore: .*parley\.db is in use/);
    expect(storedMessages(source.dataDir, general)).toEqual(before);
    // The server still works on it.
    await sendAndAck(alice.socket, general, "still writing");
  });

  it("a second server on the same data folder is refused at start", async () => {
    const second = await runExpectingExit(
      { PARLEY_DATA_DIR: source.dataDir, DATABASE_URL: join(source.dataDir, "parley.db") },
      { timeoutMs: 15_000 },
    );
    expect(second.code).not.toBe(0);
    expect(second.code).not.toBeNull();
    expect(second.output).toContain("is in use by a running Parley server");
  });

  it("a crashed server leaves no stale lock: restore --force works after SIGKILL", async () => {
    const dir = freshDir("crash");
    const server = await startServer({ dataDir: dir });
    servers.push(server);
    const bob = await joinAs(server.url);
    const room = roomIdFromReady(bob.socket, "general");
    await sendAndAck(bob.socket, room, "one");
    const target = join(mkdtempSync(join(tmpdir(), "parley-backup-file-")), "c.db");
    expect((await run("backup", [target], dir)).code).toBe(0);
    await sendAndAck(bob.socket, room, "two, after the backup");
    await server.kill();
    await bob.socket.closed;
    // Over existing data: refused without --force, and nothing changed.
    const plain = await run("restore", [target], dir);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain("refusing to restore over existing data");
    expect(plain.stderr).toContain("--force");
    const forced = await run("restore", [target, "--force"], dir);
    expect(forced.stderr).toContain("carries no auth-secret");
    expect(forced.code).toBe(0);
    expect(storedMessages(dir, room).map((m) => m.text)).toEqual(["one"]);
    // The crashed server's WAL did not leak into the restored file.
    await server.restart();
    const again = await connect(server.url, bob.cookie);
    sockets.push(again);
    expect((await historyOver(again, room)).map((m) => m.text)).toEqual(["one"]);
  });

  it("restores a plain copy of the database too, warning that no secret came with it", async () => {
    const copy = join(mkdtempSync(join(tmpdir(), "parley-plain-")), "copy.db");
    const live = new DatabaseSync(join(source.dataDir, "parley.db"));
    live.exec(`VACUUM INTO '${copy}'`);
    live.close();
    const dir = freshDir("plain");
    const restored = await run("restore", [copy], dir);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain("wrote no secret files");
    expect(restored.stderr).toContain("warning: the backup carries no auth-secret");
    expect(storedMessages(dir, general)).toEqual(storedMessages(source.dataDir, general));
  });

  it("refuses bad input with a clear error and creates nothing", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "parley-bad-"));
    const target = join(scratch, "never", "data");
    const cases: [string[], RegExp][] = [];
    const notSqlite = join(scratch, "notes.txt");
    writeFileSync(notSqlite, "hello, not a database at all");
    cases.push([[notSqlite], /is not an SQLite database/]);
    cases.push([[join(scratch, "missing.db")], /no such file/]);
    cases.push([[scratch], /is not a file/]);
    const other = join(scratch, "other.db");
    const foreign = new DatabaseSync(other);
    foreign.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
    foreign.close();
    cases.push([[other], /not Parley's \(no user table\)/]);
    const truncated = join(scratch, "truncated.db");
    const whole = readFileSync(other);
    writeFileSync(truncated, whole.subarray(0, 100));
    cases.push([[truncated], /not a readable SQLite database|damaged|not an SQLite/]);
    cases.push([[], /usage: npm run restore -- <file> \[--force\]/]);
    cases.push([[other, "--fast"], /unknown option --fast/]);
    for (const [args, message] of cases) {
      const answer = await run("restore", args, target);
      expect([args, answer.code]).toEqual([args, 1]);
      expect(answer.stderr).toMatch(message);
      // Not even the folders it would have made for the data.
      expect([args, existsSync(join(scratch, "never"))]).toEqual([args, false]);
    }
  });

  it("backup refuses a missing database, an existing file and a missing folder", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "parley-bad-backup-"));
    const none = await run("backup", [join(scratch, "x.db")], join(scratch, "empty"));
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("no database at");
    const existing = join(scratch, "taken.db");
    writeFileSync(existing, "keep me");
    const taken = await run("backup", [existing], source.dataDir);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain("already exists");
    expect(readFileSync(existing, "utf8")).toBe("keep me");
    const nowhere = await run("backup", [join(scratch, "no", "such", "b.db")], source.dataDir);
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toContain("does not exist");
    const replaced = await run("backup", [existing, "--force"], source.dataDir);
    expect(replaced.code).toBe(0);
    expect(readFileSync(existing).subarray(0, 15).toString()).toBe("SQLite format 3");
  });

  it("with PostgreSQL both print the pg_dump advice and exit 2", async () => {
    for (const script of ["backup", "restore"] as const) {
      const answer = await run(script, ["x.dump"], freshDir("pg"), {
        DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/test",
      });
      expect(answer.code).toBe(2);
      expect(answer.stderr).toContain('pg_dump --format=custom --file=parley.dump "$DATABASE_URL"');
      expect(answer.stderr).toContain("pg_restore");
    }
  });
});

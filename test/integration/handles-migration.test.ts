import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { betterAuth } from "better-auth";
import { getMigrations } from "better-auth/db/migration";
import { type Kysely, Migrator } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STEPS } from "../../src/server/storage/migrations";
import { openSqlite } from "../../src/server/storage/sqlite.server";
import { authPost, openDb } from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";

// Migration 0011 on a database made before it: better-auth's user table as
// it was (no handle field) and Parley's steps up to 0010, with people who
// share names and messages mentioning them the old way (@NameWithoutSpaces).
// The built server then starts on it and migrates.

const dataDir = mkdtempSync(join(tmpdir(), "parley-handles-migration-"));
const now = Date.parse("2026-01-01T00:00:00Z");

const users = [
  { id: "u-dana-1", name: "Dana Lee", at: now },
  { id: "u-dana-2", name: "Dana Lee", at: now + 1_000 },
  { id: "u-bob", name: "Bob Okafor", at: now + 2_000 },
  { id: "u-zoe", name: "Zoë", at: now + 3_000 },
  { id: "u-out", name: "Outsider", at: now + 4_000 },
];

async function oldDatabase() {
  const { db, raw } = openSqlite(join(dataDir, "parley.db"));
  // better-auth's tables as the previous release made them: no handle field.
  const auth = betterAuth({
    database: { db: db as unknown as Kysely<never>, type: "sqlite" },
    secret: "test-secret-test-secret-test-secret-0123",
    emailAndPassword: { enabled: true },
    telemetry: { enabled: false },
  });
  await (await getMigrations(auth.options)).runMigrations();
  const previous = Object.fromEntries(
    STEPS.slice(0, 10).map(([name, step]) => [name, step("sqlite")]),
  );
  expect(Object.keys(previous).at(-1)).toBe("0010_files");
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => previous },
    migrationTableName: "parley_migration",
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;

  for (const u of users) {
    raw
      .prepare(
        `insert into "user" (id, name, email, emailVerified, createdAt, updatedAt) values (?, ?, ?, 0, ?, ?)`,
      )
      .run(
        u.id,
        u.name,
        `${u.id}@example.test`,
        new Date(u.at).toISOString(),
        new Date(u.at).toISOString(),
      );
  }
  raw
    .prepare(
      "insert into room (id, slug, name, kind, created_at, last_seq) values (?, ?, ?, 'public', ?, 3)",
    )
    .run("r-team", "team", "team", now);
  for (const member of ["u-dana-1", "u-bob", "u-zoe"]) {
    raw
      .prepare("insert into room_member (room_id, user_id, joined_at) values (?, ?, ?)")
      .run("r-team", member, now);
  }
  const texts = [
    "hi @BobOkafor and @danalee, see bob@example.com",
    "@Zoë: ping @Outsider and @here",
    "no mentions",
  ];
  texts.forEach((text, i) => {
    raw
      .prepare(
        "insert into message (id, room_id, seq, author_id, client_id, text, created_at) values (?, 'r-team', ?, 'u-bob', ?, ?, ?)",
      )
      .run(`m${i + 1}`, i + 1, `c${i + 1}`, text, now + i);
  });
  await db.destroy();
}

let server: RunningServer;
beforeAll(async () => {
  await oldDatabase();
  server = await startServer({ dataDir });
});
afterAll(() => server?.stop());

describe("migration 0011_handles on an older database", () => {
  it("gives every account a unique handle from its name, the older namesake first", () => {
    const db = openDb(dataDir);
    try {
      const rows = db.prepare(`select id, handle from "user" order by id`).all();
      expect(Object.fromEntries(rows.map((r) => [r.id, r.handle]))).toEqual({
        "u-bob": "bob.okafor",
        "u-dana-1": "dana.lee",
        "u-dana-2": "dana.lee2",
        "u-out": "outsider",
        "u-zoe": "zoe",
      });
      const steps = db.prepare("select name from parley_migration order by name").all();
      // Applied (later steps may follow it).
      expect(steps.map((step) => step.name)).toContain("0011_handles");
    } finally {
      db.close();
    }
  });

  it("rewrites old mentions of the room's members to their handles, leaving the rest", () => {
    const db = openDb(dataDir);
    try {
      const texts = db
        .prepare("select text from message where room_id = 'r-team' order by seq")
        .all()
        .map((r) => r.text);
      expect(texts).toEqual([
        "hi @bob.okafor and @dana.lee, see bob@example.com",
        // Accents drop ("Zoë" → "zoe"); the outsider is not a member, @here stays.
        "@zoe: ping @Outsider and @here",
        "no mentions",
      ]);
    } finally {
      db.close();
    }
  });

  it("keeps handles unique case-insensitively after the migration (index and sign-up)", async () => {
    const db = openDb(dataDir);
    try {
      expect(() =>
        db.prepare(`update "user" set handle = 'DANA.LEE' where id = 'u-bob'`).run(),
      ).toThrow(/UNIQUE/);
    } finally {
      db.close();
    }
    const taken = await authPost(server.url, "/sign-up/email", {
      name: "Another Dana",
      email: "another-dana@example.test",
      password: "correct horse battery",
      handle: "Dana.Lee",
    });
    expect(taken.json).toMatchObject({ code: "HANDLE_TAKEN" });
  });
});

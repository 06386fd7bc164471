import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Kysely, sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { lookupToken } from "../../src/server/auth/api-token.server";
import {
  botEmail,
  createBot,
  createBotToken,
  isBot,
  listBots,
  revokeBotToken,
} from "../../src/server/storage/bot-store.server";
import { migrateToLatest } from "../../src/server/storage/migrations.server";
import { openPostgres, withMigrationLock } from "../../src/server/storage/postgres.server";
import type { Database } from "../../src/server/storage/schema.server";
import { openSqlite } from "../../src/server/storage/sqlite.server";
import {
  createToken,
  listTokens,
  liveTokenIds,
  revokeToken,
} from "../../src/server/storage/token-store.server";
import { adminQuery, postgresAvailable, TEST_POSTGRES_URL } from "../helpers/services";

type Opened = { db: Kysely<Database>; close: () => Promise<void> };

// better-auth's user table before Parley's migrations add handle, role, deactivated_at and bot.
const USER_SQLITE = sql`create table if not exists "user" (id text primary key, name text not null,
  email text not null unique, "emailVerified" integer not null, image text, "createdAt" date not null,
  "updatedAt" date not null)`;
const USER_POSTGRES = sql`create table if not exists "user" (id text primary key, name text not null,
  email text not null unique, "emailVerified" boolean not null, image text,
  "createdAt" timestamptz not null, "updatedAt" timestamptz not null)`;

async function openSqliteStore(): Promise<Opened> {
  const { db, raw } = openSqlite(join(mkdtempSync(join(tmpdir(), "parley-tokens-")), "chat.db"));
  await USER_SQLITE.execute(db);
  await migrateToLatest(db as never);
  return {
    db,
    async close() {
      await db.destroy();
      if (raw.isOpen) raw.close();
    },
  };
}

async function openPostgresStore(): Promise<Opened> {
  const schema = `t_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  await adminQuery(`create schema ${schema}`);
  const { db } = openPostgres({ url: TEST_POSTGRES_URL, schema, max: 2 });
  await withMigrationLock(db, async () => {
    await USER_POSTGRES.execute(db);
    await migrateToLatest(db as never, "postgres");
  });
  return {
    db,
    async close() {
      await db.destroy();
      await adminQuery(`drop schema ${schema} cascade`);
    },
  };
}

const addPerson = (db: Kysely<Database>, id: string, sqlite: boolean) =>
  sql`insert into "user" (id, name, email, "emailVerified", "createdAt", "updatedAt", handle)
    values (${id}, ${id}, ${`${id}@example.test`}, ${sqlite ? 0 : false}, ${sqlite ? new Date().toISOString() : new Date()},
    ${sqlite ? new Date().toISOString() : new Date()}, ${id})`.execute(db);

const ready = await postgresAvailable();
const dialects: [string, () => Promise<Opened>, boolean][] = [
  ["sqlite", openSqliteStore, true],
  ...(ready
    ? [["postgres", openPostgresStore, false] as [string, () => Promise<Opened>, boolean]]
    : []),
];

describe.each(dialects)("token store on %s", (_name, open, sqlite) => {
  let opened: Opened | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });
  const setUp = async () => {
    opened = await open();
    await addPerson(opened.db, "ann", sqlite);
    await addPerson(opened.db, "bob", sqlite);
    return opened.db;
  };

  it("creates, lists (never the secret) and looks a token up by its hash", async () => {
    const db = await setUp();
    const t0 = Date.now();
    const first = await createToken(
      db,
      { userId: "ann", name: "CI", scopes: ["read"], expiresAt: null },
      t0,
    );
    const second = await createToken(
      db,
      {
        userId: "ann",
        name: "Deploy",
        scopes: ["write", "read", "write"],
        expiresAt: t0 + 86_400_000,
      },
      t0 + 1,
    );
    await createToken(db, { userId: "bob", name: "Bob's", scopes: ["read"], expiresAt: null }, t0);
    const listed = await listTokens(db, "ann");
    expect(listed).toEqual([
      {
        id: second.id,
        name: "Deploy",
        scopes: ["write", "read"],
        createdAt: t0 + 1,
        expiresAt: t0 + 86_400_000,
        lastUsedAt: null,
      },
      {
        id: first.id,
        name: "CI",
        scopes: ["read"],
        createdAt: t0,
        expiresAt: null,
        lastUsedAt: null,
      },
    ]);
    expect(JSON.stringify(listed)).not.toContain(first.token.slice(17));
    const stored = await db
      .selectFrom("api_token")
      .select("token_hash")
      .where("id", "=", first.id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(first.token.slice(17));
    const grant = await lookupToken(db, first.token, t0 + 5);
    expect(grant).toMatchObject({
      id: first.id,
      user: { id: "ann", handle: "ann" },
      scopes: ["read"],
      expiresAt: null,
    });
    expect((await listTokens(db, "ann"))[1]?.lastUsedAt).toBe(t0 + 5);
  });

  it("revokes only the owner's live token; a revoked, expired or deactivated one is dead", async () => {
    const db = await setUp();
    const now = Date.now();
    const ann = await createToken(db, {
      userId: "ann",
      name: "a",
      scopes: ["read"],
      expiresAt: null,
    });
    const short = await createToken(db, {
      userId: "ann",
      name: "s",
      scopes: ["read"],
      expiresAt: now + 1_000,
    });
    const bob = await createToken(db, {
      userId: "bob",
      name: "b",
      scopes: ["read"],
      expiresAt: null,
    });
    expect(await liveTokenIds(db, [ann.id, short.id, bob.id, "nobody000000"], now)).toEqual(
      new Set([ann.id, short.id, bob.id]),
    );
    expect(await revokeToken(db, "bob", ann.id)).toBe(false);
    expect(await revokeToken(db, "ann", ann.id)).toBe(true);
    expect(await revokeToken(db, "ann", ann.id)).toBe(false);
    expect(await lookupToken(db, ann.token)).toBeUndefined();
    expect((await listTokens(db, "ann")).map((t) => t.id)).toEqual([short.id]);
    // Expired: no longer live, and its lookup fails, though it is still listed (marked by its date).
    expect(await liveTokenIds(db, [short.id], now + 1_000)).toEqual(new Set());
    expect(await lookupToken(db, short.token, now + 1_000)).toBeUndefined();
    await db.updateTable("user").set({ deactivated_at: now }).where("id", "=", "bob").execute();
    expect(await liveTokenIds(db, [bob.id], now)).toEqual(new Set());
    expect(await lookupToken(db, bob.token, now)).toBeUndefined();
  });

  it("makes a bot with its audit row, and audits its tokens' creation and revocation", async () => {
    const db = await setUp();
    const bot = await createBot(db, { actorId: "ann", name: "CI Bot" });
    expect(bot.handle).toBe("ci.bot");
    expect(await isBot(db, bot.id)).toBe(true);
    expect(await isBot(db, "ann")).toBe(false);
    expect(await isBot(db, "nobody")).toBeUndefined();
    const row = await db
      .selectFrom("user")
      .select(["email", "role", "bot"])
      .where("id", "=", bot.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ email: botEmail(bot.id), role: "member", bot: 1 });
    const made = await createBotToken(db, {
      actorId: "ann",
      botId: bot.id,
      name: "deploy",
      scopes: ["read", "write"],
      expiresAt: null,
    });
    const grant = await lookupToken(db, made.token);
    expect(grant?.user).toEqual({ id: bot.id, name: "CI Bot", handle: "ci.bot", bot: true });
    const [listed] = await listBots(db);
    expect(listed).toMatchObject({
      id: bot.id,
      name: "CI Bot",
      createdBy: "ann",
      deactivatedAt: null,
    });
    expect(listed?.tokens.map((t) => t.id)).toEqual([made.id]);
    expect(await revokeBotToken(db, { actorId: "ann", botId: bot.id, tokenId: made.id })).toBe(
      true,
    );
    expect(await revokeBotToken(db, { actorId: "ann", botId: bot.id, tokenId: made.id })).toBe(
      false,
    );
    const audit = await db
      .selectFrom("audit_log")
      .select(["action", "actor_id", "target_user_id", "details"])
      .orderBy("at")
      .orderBy("action")
      .execute();
    expect(audit.map((a) => [a.action, a.actor_id, a.target_user_id])).toEqual([
      ["bot.create", "ann", bot.id],
      ["token.create", "ann", bot.id],
      ["token.revoke", "ann", bot.id],
    ]);
    expect(JSON.parse(String(audit.find((a) => a.action === "token.create")?.details))).toEqual({
      tokenId: made.id,
      name: "deploy",
      scopes: ["read", "write"],
    });
  });

  it("rolls a bot back when its audit row cannot be written", async () => {
    const db = await setUp();
    await sql`drop table audit_log`.execute(db);
    await expect(createBot(db, { actorId: "ann", name: "Ghost" })).rejects.toThrow();
    expect(await db.selectFrom("user").select("id").where("name", "=", "Ghost").execute()).toEqual(
      [],
    );
  });
});

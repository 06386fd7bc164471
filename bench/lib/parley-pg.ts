// Parley on PostgreSQL for the bench: a database of its own on the test
// server (TEST_POSTGRES_URL, or the tests' default), migrated by starting
// Parley on it once, then users, sessions, rooms and memberships seeded the
// way parley-data.ts seeds SQLite (same cookies: signed with AUTH_SECRET).
// Dropped after the run. The persistence scenario runs on it, and the relay
// scenario's two instances share it (with Redis).
import { randomBytes, randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import pg from "pg";
import { pingRedis } from "../../scripts/lib/cluster.ts";
import { newDataDir, startParley } from "./parley.ts";
import { signedCookie } from "./parley-data.ts";
import type { ParleyData } from "./systems.ts";

/** Parley's data on PostgreSQL: its database URL, the users, and how to drop it. */
export type ParleyPg = ParleyData & { databaseUrl: string; drop: () => Promise<void> };

async function query(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Why PostgreSQL at `url` cannot be used, or undefined when it answers. */
export async function postgresProblem(url: string): Promise<string | undefined> {
  try {
    await query(url, "select 1");
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Why Redis at `url` cannot be used, or undefined when it answers PING. */
export async function redisProblem(url: string): Promise<string | undefined> {
  try {
    await pingRedis(url);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Rows of up to `size` values each, so thousands of users are a few statements. */
const chunks = <T>(items: T[], size: number) =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );

/** `($1, $2, …), (…)` for `rows` rows of `width` parameters. */
const placeholders = (rows: number, width: number) =>
  Array.from(
    { length: rows },
    (_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(", ")})`,
  ).join(", ");

/**
 * A fresh database with users 0..users-1 in `roomsOf(i)` (rooms named there
 * other than general are created); Parley has migrated it and stopped.
 */
export async function prepareParleyPg(
  serverUrl: string,
  users: number,
  roomsOf: (i: number) => string[],
): Promise<ParleyPg> {
  const name = `parley_bench_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  await query(serverUrl, `create database ${name}`);
  const dataDir = newDataDir();
  const drop = async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await query(serverUrl, `drop database if exists ${name} with (force)`);
  };
  try {
    // Starting Parley runs its migrations (and makes general).
    const server = await startParley(dataDir, [], { DATABASE_URL: databaseUrl });
    await server.stop();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const slugs = new Set<string>();
      for (let i = 0; i < users; i++) for (const slug of roomsOf(i)) slugs.add(slug);
      slugs.delete("general");
      await client.query("begin");
      for (const batch of chunks([...slugs], 500)) {
        await client.query(
          `insert into room (id, slug, name, created_at) values ${placeholders(batch.length, 4)}`,
          batch.flatMap((slug) => [randomUUID(), slug, slug, Date.now()]),
        );
      }
      const rooms = new Map<string, string>(
        (await client.query<{ id: string; slug: string }>("select id, slug from room")).rows.map(
          (r) => [r.slug, r.id],
        ),
      );
      const token = () => randomBytes(24).toString("base64url").slice(0, 32);
      const expires = new Date(Date.now() + 7 * 86_400_000);
      const people = Array.from({ length: users }, (_, i) => ({
        i,
        id: token(),
        name: `bench${i}`,
        secret: token(),
      }));
      for (const batch of chunks(people, 1000)) {
        await client.query(
          `insert into "user" (id, name, email, "emailVerified") values ${placeholders(batch.length, 4)}`,
          batch.flatMap((p) => [p.id, p.name, `${p.name}@example.test`, false]),
        );
        await client.query(
          `insert into session (id, "expiresAt", token, "updatedAt", "ipAddress", "userAgent", "userId") values ${placeholders(batch.length, 7)}`,
          batch.flatMap((p) => [token(), expires, p.secret, new Date(), "", "bench", p.id]),
        );
        const members = batch.flatMap((p) =>
          roomsOf(p.i).map((slug) => {
            const room = rooms.get(slug);
            if (!room) throw new Error(`no room ${slug} in the bench database`);
            return [room, p.id, Date.now()];
          }),
        );
        for (const rows of chunks(members, 1000)) {
          await client.query(
            `insert into room_member (room_id, user_id, joined_at) values ${placeholders(rows.length, 3)}`,
            rows.flat(),
          );
        }
      }
      await client.query("commit");
      return {
        dataDir,
        databaseUrl,
        drop,
        users: people.map((p) => ({ cookie: signedCookie(p.secret), name: p.name })),
      };
    } finally {
      await client.end().catch(() => undefined);
    }
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
}

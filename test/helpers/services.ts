import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { findNginx, pingRedis } from "../../scripts/lib/cluster.ts";

/** The PostgreSQL server tests use (a database the tests may create schemas in). */
export const TEST_POSTGRES_URL =
  process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
/** The Redis server tests use. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/**
 * Whether a service the tests need answers. In CI (CI=true) an unreachable
 * service throws, failing the file: a green run must have tested it. On a
 * developer's machine the suite is skipped with a banner that is hard to miss.
 */
async function available(name: string, url: string, probe: () => Promise<void>) {
  try {
    await probe();
    return true;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (process.env.CI === "true") {
      throw new Error(`${name} is unreachable at ${url} and CI requires it: ${reason}`);
    }
    const line = "!".repeat(72);
    console.warn(
      `\n${line}\n!! ${name} unreachable at ${url}: ${reason}\n!! SKIPPING the tests that need it (they FAIL when CI=true)\n${line}\n`,
    );
    return false;
  }
}

/** True when TEST_POSTGRES_URL answers a query. */
export function postgresAvailable(): Promise<boolean> {
  return available("PostgreSQL", TEST_POSTGRES_URL, async () => {
    const client = new pg.Client({
      connectionString: TEST_POSTGRES_URL,
      connectionTimeoutMillis: 3_000,
    });
    try {
      await client.connect();
      await client.query("select 1");
    } finally {
      await client.end().catch(() => {});
    }
  });
}

/** True when TEST_REDIS_URL answers PING. */
export function redisAvailable(): Promise<boolean> {
  return available("Redis", TEST_REDIS_URL, () => pingRedis(TEST_REDIS_URL));
}

/** Runs SQL on the test server with a short-lived client (schema and database setup). */
export async function adminQuery(
  text: string,
  url = TEST_POSTGRES_URL,
  values: unknown[] = [],
): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

/**
 * A database of a test file's own on the test server (several instances of
 * Parley share it): a random name, its URL, and create/drop.
 */
export function testDatabase(prefix = "parley") {
  const name = `${prefix}_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    create: () => adminQuery(`create database ${name}`),
    drop: () => adminQuery(`drop database if exists ${name} with (force)`),
  };
}

/**
 * The nginx binary for the tests that put instances behind a load balancer
 * (the cluster and the failover chaos test), or null when it is missing:
 * skipped with a banner locally, a failure when CI=true (.ci/run installs it).
 */
export async function nginxBinary(): Promise<string | null> {
  let found: string | null = null;
  const ok = await available("nginx", "/usr/sbin/nginx or PATH", async () => {
    found = findNginx();
    if (!found) throw new Error("no nginx binary (Debian: apt-get install nginx-light)");
    const version = spawnSync(found, ["-v"], { encoding: "utf8" });
    if (version.status !== 0) throw new Error(`${found} -v failed: ${version.stderr}`);
  });
  return ok ? found : null;
}

/** The redis-server binary, for tests that run (and kill) a Redis of their own. */
export async function redisServerBinary(): Promise<string | null> {
  let found: string | null = null;
  const ok = await available("redis-server", "PATH", async () => {
    const which = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" });
    found = which.status === 0 ? which.stdout.trim() : null;
    if (!found) throw new Error("no redis-server on PATH (Debian: apt-get install redis-server)");
  });
  return ok ? found : null;
}

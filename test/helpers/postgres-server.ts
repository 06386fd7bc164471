import { afterAll, beforeAll } from "vitest";
import { startServeLike } from "./integration-extra";
import type { RunningServer } from "./server";
import { testDatabase } from "./services";

/**
 * One built server on a PostgreSQL database of its own (`prefix_<random>`),
 * started before the suite's tests and stopped, with its database dropped,
 * after them: how a file runs its SQLite suite again on PostgreSQL. Call it
 * inside a `describe.runIf(await postgresAvailable())`.
 */
export function usePostgresServer(
  prefix: string,
  env: Record<string, string> = {},
): () => RunningServer {
  const testDb = testDatabase(prefix);
  let server: RunningServer | undefined;
  beforeAll(async () => {
    await testDb.create();
    server = await startServeLike({ env: { ...env, DATABASE_URL: testDb.url } });
  });
  afterAll(async () => {
    await server?.stop();
    await testDb.drop();
  });
  return () => {
    if (!server) throw new Error("the PostgreSQL server has not started");
    return server;
  };
}

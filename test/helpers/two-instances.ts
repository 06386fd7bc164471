import { startServeLike } from "./integration-extra";
import type { RunningServer } from "./server";
import { TEST_REDIS_URL, type testDatabase } from "./services";

type TestDatabase = ReturnType<typeof testDatabase>;

/**
 * Two production-like instances sharing a fresh PostgreSQL database and
 * Redis: what every cluster test's beforeAll starts. `env` goes to both.
 */
export async function startTwoInstances(
  testDb: TestDatabase,
  env: Record<string, string> = {},
): Promise<[RunningServer, RunningServer]> {
  await testDb.create();
  const shared = { DATABASE_URL: testDb.url, REDIS_URL: TEST_REDIS_URL, ...env };
  return Promise.all([startServeLike({ env: shared }), startServeLike({ env: shared })]);
}

/** Stops what started (either may be missing after a failed start) and drops the database. */
export async function stopTwoInstances(
  testDb: TestDatabase,
  servers: (RunningServer | undefined)[],
): Promise<void> {
  await Promise.all(servers.map((server) => server?.stop()));
  await testDb.drop();
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, signUp } from "../helpers/clients";
import { httpFrom } from "../helpers/http-from";
import {
  closeAll,
  joinAs,
  type Member,
  startServeLike,
  userIdOf,
} from "../helpers/integration-extra";
import type { RunningServer } from "../helpers/server";
import { callServerFn } from "../helpers/server-fns";
import {
  postgresAvailable,
  redisAvailable,
  TEST_REDIS_URL,
  testDatabase,
} from "../helpers/services";

const ready = (await postgresAvailable()) && (await redisAvailable());
const testDb = testDatabase();
const PASSWORD = "correct horse battery";

// Issue 14: deactivating a user closes their sockets on every instance at once (4003).
describe.runIf(ready)("deactivation across instances (PostgreSQL + Redis)", () => {
  let one: RunningServer;
  let two: RunningServer;
  let owner: Member;

  beforeAll(async () => {
    await testDb.create();
    const env = { DATABASE_URL: testDb.url, REDIS_URL: TEST_REDIS_URL };
    [one, two] = await Promise.all([startServeLike({ env }), startServeLike({ env })]);
    owner = await joinAs(one.url);
  });

  afterAll(async () => {
    await closeAll([owner?.socket].filter((s) => s !== undefined));
    await Promise.all([one?.stop(), two?.stop()]);
    await testDb.drop();
  });

  it("closes the user's sockets on both instances with 4003 and refuses their sign-in on either", async () => {
    const victim = await signUp(two.url, { password: PASSWORD });
    const onTwo = await connect(two.url, victim.cookie);
    const second = await httpFrom(one.url, "/api/auth/sign-in/email", {
      body: { email: victim.email, password: PASSWORD },
    });
    const onOne = await connect(one.url, second.cookie ?? "");
    const victimId = userIdOf(onTwo);
    const started = Date.now();
    const answer = await callServerFn(
      one.url,
      "setDeactivatedFn",
      { userId: victimId, deactivated: true },
      { cookie: owner.cookie },
    );
    expect(answer).toMatchObject({ ok: true, result: { ok: true } });
    const [closedOne, closedTwo] = await Promise.all([onOne.closed, onTwo.closed]);
    const took = Date.now() - started;
    console.log(`deactivation: both instances' sockets closed within ${took} ms`);
    expect(closedOne.code).toBe(4003);
    expect(closedTwo.code).toBe(4003);
    expect(took).toBeLessThan(1_000);
    for (const url of [one.url, two.url]) {
      await expect(connect(url, victim.cookie)).rejects.toThrow("401");
      const refused = await httpFrom(url, "/api/auth/sign-in/email", {
        body: { email: victim.email, password: PASSWORD },
      });
      expect(refused.status).toBe(403);
      expect(refused.json().message).toBe("This account is deactivated.");
    }
    const back = await callServerFn(
      two.url,
      "setDeactivatedFn",
      { userId: victimId, deactivated: false },
      { cookie: owner.cookie },
    );
    expect(back).toMatchObject({ ok: true, result: { ok: true } });
    const signedIn = await httpFrom(two.url, "/api/auth/sign-in/email", {
      body: { email: victim.email, password: PASSWORD },
    });
    expect(signedIn.status).toBe(200);
    const again = await connect(one.url, signedIn.cookie ?? "");
    await closeAll([again]);
  });
});

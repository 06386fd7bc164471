import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectWithToken, makeBot, makeBotToken } from "../helpers/bots";
import { upgradeStatus } from "../helpers/clients";
import { closeAll, joinAs, type Member } from "../helpers/integration-extra";
import type { RunningServer } from "../helpers/server";
import { callServerFn } from "../helpers/server-fns";
import { postgresAvailable, redisAvailable, testDatabase } from "../helpers/services";
import { startTwoInstances, stopTwoInstances } from "../helpers/two-instances";

const ready = (await postgresAvailable()) && (await redisAvailable());
const testDb = testDatabase();

// Issue 15: a revoked token's sockets close at once on every instance.
describe.runIf(ready)("token revocation across instances (PostgreSQL + Redis)", () => {
  let one: RunningServer;
  let two: RunningServer;
  let owner: Member;

  beforeAll(async () => {
    [one, two] = await startTwoInstances(testDb);
    owner = await joinAs(one.url);
  });

  afterAll(async () => {
    await closeAll([owner?.socket].filter((s) => s !== undefined));
    await stopTwoInstances(testDb, [one, two]);
  });

  it("closes a bot token's sockets on both instances (4001) and refuses it on either", async () => {
    const botId = await makeBot(one.url, owner.cookie, "Cluster Bot");
    const { id, token } = await makeBotToken(one.url, owner.cookie, botId);
    const [onOne, onTwo] = await Promise.all([
      connectWithToken(one.url, token),
      connectWithToken(two.url, token),
    ]);
    const started = Date.now();
    const answer = await callServerFn(
      one.url,
      "revokeBotTokenFn",
      { botId, tokenId: id },
      { cookie: owner.cookie },
    );
    expect(answer).toMatchObject({ ok: true, result: { ok: true } });
    const [closedOne, closedTwo] = await Promise.all([onOne.closed, onTwo.closed]);
    // The default sweep is 30 s: a close well before it came from the relay.
    console.log(
      `token revocation: both instances' sockets closed within ${Date.now() - started} ms`,
    );
    expect(closedOne.code).toBe(4001);
    expect(closedTwo.code).toBe(4001);
    for (const url of [one.url, two.url]) {
      expect(await upgradeStatus(url, { authorization: `Bearer ${token}` })).toBe(401);
    }
  });

  it("closes a person's own token's sockets on the other instance too", async () => {
    const made = await callServerFn<{ ok: true; id: string; token: string }>(
      two.url,
      "createMyTokenFn",
      { name: "laptop", scopes: ["read", "write"], expiresAt: null },
      { cookie: owner.cookie },
    );
    const { id, token } = made.ok ? made.result : { id: "", token: "" };
    const onOne = await connectWithToken(one.url, token);
    const revoked = await callServerFn(
      two.url,
      "revokeMyTokenFn",
      { id },
      { cookie: owner.cookie },
    );
    expect(revoked).toMatchObject({ ok: true, result: { ok: true } });
    expect((await onOne.closed).code).toBe(4001);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WireMessage } from "../../src/protocol/frames";
import { connect, getPage, signUp, type TestSocket } from "../helpers/clients";
import { closeAll, joinAs, type Member } from "../helpers/integration-extra";
import type { RunningServer } from "../helpers/server";
import { callServerFn } from "../helpers/server-fns";
import { adminQuery, postgresAvailable, redisAvailable, testDatabase } from "../helpers/services";
import { startTwoInstances, stopTwoInstances } from "../helpers/two-instances";

const ready = (await postgresAvailable()) && (await redisAvailable());
const testDb = testDatabase();

// Issue 15: an incoming webhook on PostgreSQL (its bot user in better-auth's
// own table), posting to instance 1 and heard live by a member on instance 2.
describe.runIf(ready)("incoming webhooks across instances (PostgreSQL + Redis)", () => {
  let one: RunningServer;
  let two: RunningServer;
  let owner: Member;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    [one, two] = await startTwoInstances(testDb);
    owner = await joinAs(one.url);
    sockets.push(owner.socket);
  });

  afterAll(async () => {
    await closeAll(sockets);
    await stopTwoInstances(testDb, [one, two]);
  });

  it("a post to instance 1 reaches a member on instance 2 live, with via, stored on PostgreSQL", async () => {
    const creator = await signUp(one.url);
    const created = await callServerFn<{ ok: boolean; room?: { slug: string; id: string } }>(
      one.url,
      "createRoomFn",
      { name: `pg-hooks-${Date.now() % 100000}` },
      { cookie: creator.cookie },
    );
    const room = created.ok ? created.result.room : undefined;
    if (!room) throw new Error("no room");
    const made = await callServerFn<{ ok: true; url: string; webhook: { id: string } }>(
      one.url,
      "createIncomingWebhookFn",
      { roomId: room.id, name: "Grafana" },
      { cookie: creator.cookie },
    );
    if (!made.ok || !made.result.ok) throw new Error(`no webhook: ${JSON.stringify(made)}`);
    const member = await signUp(two.url);
    expect((await getPage(two.url, `/r/${room.slug}`, member.cookie)).status).toBe(200);
    const onTwo = await connect(two.url, member.cookie);
    sockets.push(onTwo);
    const text = `cpu high ${Date.now()}`;
    const heard = onTwo.next(
      (f) => f.type === "message" && (f.message as WireMessage).text === text,
    );
    const response = await fetch(made.result.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text, username: "alertmanager" }),
    });
    expect([response.status, await response.text()]).toEqual([200, "ok"]);
    const frame = await heard;
    expect(frame.message).toMatchObject({
      text,
      author: { name: "Grafana", bot: true },
      via: { webhook: "Grafana", username: "alertmanager" },
    });
    const stored = await adminQuery(
      `select m.via, u.bot, u."emailVerified" from message m join "user" u on u.id = m.author_id
       where m.room_id = '${room.id}'`,
      testDb.url,
    );
    expect(stored.rows).toEqual([
      {
        via: JSON.stringify({ webhook: "Grafana", username: "alertmanager" }),
        bot: 1,
        emailVerified: false,
      },
    ]);
    const audit = await adminQuery(
      `select action from audit_log where room_id = '${room.id}' and action like 'webhook.%'`,
      testDb.url,
    );
    expect(audit.rows).toEqual([{ action: "webhook.create" }]);
  });
});

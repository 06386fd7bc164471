import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { joinAs, roomIdFromReady, sendAndAck, startServeLike } from "../helpers/integration-extra";
import type { RunningServer } from "../helpers/server";
import {
  adminQuery,
  postgresAvailable,
  redisAvailable,
  TEST_REDIS_URL,
  testDatabase,
} from "../helpers/services";
import { type SmtpSink, startSmtpSink } from "../helpers/smtp-sink";

// Issue 13: two instances on one PostgreSQL database (and Redis for
// presence) both run the email worker; the claim lets exactly one send.
const ready = (await postgresAvailable()) && (await redisAvailable());

describe.runIf(ready)("missed-message email with two instances", () => {
  const testDb = testDatabase("parley_email");
  let sink: SmtpSink;
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    await testDb.create();
    sink = await startSmtpSink();
    const env = {
      DATABASE_URL: testDb.url,
      REDIS_URL: TEST_REDIS_URL,
      SMTP_URL: sink.url,
      PARLEY_EMAIL_DELAY_MINUTES: "0.02",
      LOG_LEVEL: "info",
    };
    a = await startServeLike({ env });
    b = await startServeLike({ env });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await sink?.close();
    await testDb.drop();
  });

  it("exactly one email per user, though both instances' workers see the rows", async () => {
    const alice = await joinAs(a.url);
    const general = roomIdFromReady(alice.socket, "general");
    const people = [];
    for (let i = 0; i < 5; i++) {
      // Half on each instance, then offline.
      const person = await joinAs(i % 2 === 0 ? a.url : b.url);
      const ready = person.socket.frames.find((f) => f.type === "ready");
      const handle = String((ready?.user as { handle?: string } | undefined)?.handle);
      person.socket.close();
      await person.socket.closed;
      people.push({ ...person, handle });
    }
    const text = `${people.map((p) => `@${p.handle}`).join(" ")} ${randomUUID()}`;
    await sendAndAck(alice.socket, general, text);
    for (const person of people) await sink.waitFor(person.email);
    // Every row sent and every claim free: nothing is left that could send a second.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const { rows } = await adminQuery(
        "select (select count(*) from email_pending) as pending, (select count(*) from email_state where claim_owner is not null) as claimed",
        testDb.url,
      );
      const row = rows[0] as { pending: string; claimed: string };
      if (Number(row.pending) === 0 && Number(row.claimed) === 0) break;
      if (Date.now() > deadline) throw new Error(`not settled: ${JSON.stringify(row)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    for (const person of people) expect(sink.to(person.email)).toHaveLength(1);
    // And the senders agree: five sends logged over the two instances together.
    const sends = (out: string) => out.split("missed-message email sent").length - 1;
    expect(sends(a.output()) + sends(b.output())).toBe(people.length);
    alice.socket.close();
  });
});

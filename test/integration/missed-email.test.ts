import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPage, type TestSocket } from "../helpers/clients";
import {
  joinAs,
  type Member,
  openDb,
  privateRoom,
  roomIdFromReady,
  sendAndAck,
  startServeLike,
} from "../helpers/integration-extra";
import { waitFor } from "../helpers/node-client";
import type { RunningServer } from "../helpers/server";
import { type ReceivedMail, type SmtpSink, startSmtpSink } from "../helpers/smtp-sink";

// Issue 13, missed-message email: the built server against a real SMTP
// server on loopback, the delay 0.02 minutes (1.2 s).
const DELAY_MS = 1_200;

let sink: SmtpSink;
let server: RunningServer;
let alice: Member;
let general: string;

beforeAll(async () => {
  sink = await startSmtpSink();
  server = await startServeLike({
    env: { SMTP_URL: sink.url, PARLEY_EMAIL_DELAY_MINUTES: "0.02", LOG_LEVEL: "info" },
  });
  alice = await joinAs(server.url);
  general = roomIdFromReady(alice.socket, "general");
});
afterAll(async () => {
  alice?.socket.close();
  await server?.stop();
  await sink?.close();
});

function handleOf(socket: TestSocket): string {
  const ready = socket.frames.find((f) => f.type === "ready");
  const handle = (ready?.user as { handle?: string } | undefined)?.handle;
  if (!handle) throw new Error("no handle in ready");
  return handle;
}

/** A member who then goes offline (no socket anywhere): the one email is for. */
async function absentMember(slugs: string[] = ["general"]): Promise<Member & { handle: string }> {
  const member = await joinAs(server.url, slugs);
  const handle = handleOf(member.socket);
  member.socket.close();
  await member.socket.closed;
  return { ...member, handle };
}

/** A DM between alice and the user, made in the database as the DM tests do. */
function dmWith(userId: string): { id: string; slug: string } {
  const id = randomUUID();
  const slug = `dm-${id.slice(0, 8)}`;
  const db = openDb(server.dataDir);
  try {
    db.prepare(
      "INSERT INTO room (id, slug, name, kind, dm_key, created_at) VALUES (?, ?, ?, 'dm', ?, ?)",
    ).run(id, slug, slug, [alice.userId, userId].sort().join(":"), Date.now());
    const member = db.prepare(
      "INSERT INTO room_member (room_id, user_id, joined_at) VALUES (?, ?, ?)",
    );
    member.run(id, alice.userId, Date.now());
    member.run(id, userId, Date.now());
  } finally {
    db.close();
  }
  return { id, slug };
}

function pendingFor(userId: string): number {
  const db = openDb(server.dataDir);
  try {
    const row = db
      .prepare("SELECT count(*) AS n FROM email_pending WHERE user_id = ?")
      .get(userId) as { n: number };
    return Number(row.n);
  } finally {
    db.close();
  }
}

function claimFree(userId: string): boolean {
  const db = openDb(server.dataDir);
  try {
    const row = db.prepare("SELECT claim_owner FROM email_state WHERE user_id = ?").get(userId) as
      | { claim_owner: string | null }
      | undefined;
    return row?.claim_owner == null;
  } finally {
    db.close();
  }
}

/** A header's value as sent (mailparser turns some into objects). */
function rawHeader(mail: ReceivedMail, name: string): string {
  const line = mail.parsed.headerLines.find((h) => h.key === name)?.line ?? "";
  return line
    .slice(line.indexOf(":") + 1)
    .replace(/\r?\n\s+/g, " ")
    .trim();
}

/** The links to messages in the plain-text part. */
function messageLinks(mail: ReceivedMail): string[] {
  return [...(mail.parsed.text ?? "").matchAll(/https?:\/\/\S+\/r\/\S+/g)].map((m) => m[0]);
}

describe("missed-message email", () => {
  it("one digest after the delay names each unread mention and DM, with working links", async () => {
    const bob = await absentMember();
    const dm = dmWith(bob.userId);
    alice.socket.send({ type: "subscribe", roomId: dm.id });
    const mentionText = `hey @${bob.handle} look <b>${randomUUID().slice(0, 6)}</b> & more`;
    const dmText = `a direct word ${randomUUID().slice(0, 6)}`;
    const sentAt = Date.now();
    const mention = await sendAndAck(alice.socket, general, mentionText);
    const direct = await sendAndAck(alice.socket, dm.id, dmText);

    const [mail] = (await sink.waitFor(bob.email)) as [ReceivedMail];
    expect(mail.receivedAt - sentAt).toBeGreaterThanOrEqual(DELAY_MS);
    const text = mail.parsed.text ?? "";
    expect(text).toContain(mentionText);
    expect(text).toContain(dmText);
    const html = String(mail.parsed.html);
    expect(html).toContain("&lt;b&gt;");
    expect(html).not.toContain("<b>");
    const links = messageLinks(mail);
    expect(links).toEqual([
      `${server.url}/r/general?m=${mention.seq}`,
      `${server.url}/r/${dm.slug}?m=${direct.seq}`,
    ]);
    for (const link of links) {
      const page = await getPage(server.url, link.slice(server.url.length), bob.cookie);
      expect(page.status).toBe(200);
    }
    expect(rawHeader(mail, "list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    expect(rawHeader(mail, "list-unsubscribe")).toMatch(
      /^<http:.*\/api\/email\/unsubscribe\?token=.+>$/,
    );
    expect(mail.parsed.from?.value[0]).toMatchObject({
      name: "Parley",
      address: "parley@localhost",
    });
    // One email: the rows are gone and the claim is free, so no second can come.
    await waitFor(() => pendingFor(bob.userId) === 0 && claimFree(bob.userId), "bob settled");
    expect(sink.to(bob.email)).toHaveLength(1);
  });

  it("none for a mention read in time: only the unread one is listed", async () => {
    const carol = await joinAs(server.url);
    const handle = handleOf(carol.socket);
    const side = privateRoom(server.dataDir, [alice.userId, carol.userId]);
    alice.socket.send({ type: "subscribe", roomId: side.id });
    const read = await sendAndAck(alice.socket, general, `read me @${handle} ${randomUUID()}`);
    carol.socket.send({ type: "read", roomId: general, seq: read.seq });
    await carol.socket.next((f) => f.type === "read" && f.roomId === general);
    carol.socket.close();
    await carol.socket.closed;
    const unread = `unread @${handle} ${randomUUID()}`;
    await sendAndAck(alice.socket, side.id, unread);

    const [mail] = (await sink.waitFor(carol.email)) as [ReceivedMail];
    expect(mail.parsed.text).toContain(unread);
    expect(mail.parsed.text).not.toContain(read.text);
    await waitFor(() => pendingFor(carol.userId) === 0 && claimFree(carol.userId), "carol settled");
    expect(sink.to(carol.email)).toHaveLength(1);
  });

  it("none to a user active since (a read frame in another room), even with no socket at due time", async () => {
    const dan = await joinAs(server.url);
    const side = privateRoom(server.dataDir, [alice.userId, dan.userId]);
    alice.socket.send({ type: "subscribe", roomId: side.id });
    const elsewhere = await sendAndAck(alice.socket, side.id, `over here ${randomUUID()}`);
    const sentAt = Date.now();
    await sendAndAck(alice.socket, general, `@${handleOf(dan.socket)} here?`);
    await waitFor(() => pendingFor(dan.userId) === 1, "dan's row queued");
    // Dan reads the other room after the mention came: active since.
    dan.socket.send({ type: "read", roomId: side.id, seq: elsewhere.seq });
    await dan.socket.next((f) => f.type === "read" && f.roomId === side.id);
    dan.socket.close();
    await dan.socket.closed;
    await waitFor(
      () => pendingFor(dan.userId) === 0 && Date.now() > sentAt + DELAY_MS && claimFree(dan.userId),
      "dan's row dropped",
    );
    expect(sink.to(dan.email)).toHaveLength(0);
  });

  it("the unsubscribe link (one-click POST and GET) stops them; a bad token is 400", async () => {
    const erin = await absentMember();
    const frank = await absentMember();
    await sendAndAck(alice.socket, general, `@${erin.handle} first ${randomUUID()}`);
    const [mail] = (await sink.waitFor(erin.email)) as [ReceivedMail];
    const header = rawHeader(mail, "list-unsubscribe");
    const link = /<([^>]+)>/.exec(header)?.[1] ?? "";
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/email\/unsubscribe\?token=/);
    expect(mail.parsed.text).toContain(link);

    const post = await fetch(link, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(post.status).toBe(204);
    const get = await fetch(link);
    expect(get.status).toBe(200);
    expect(await get.text()).toContain("Unsubscribed");

    const after = `@${erin.handle} @${frank.handle} after ${randomUUID()}`;
    await sendAndAck(alice.socket, general, after);
    await sink.waitFor(frank.email);
    expect(pendingFor(erin.userId)).toBe(0);
    expect(sink.to(erin.email)).toHaveLength(1);

    const token = new URL(link).searchParams.get("token") ?? "";
    const tampered = `${token.slice(0, -2)}${token.endsWith("AA") ? "BB" : "AA"}`;
    for (const bad of [tampered, "junk", ""]) {
      const answer = await fetch(`${server.url}/api/email/unsubscribe?token=${bad}`);
      expect(answer.status).toBe(400);
      expect(await answer.text()).toContain("not valid");
      const oneClick = await fetch(`${server.url}/api/email/unsubscribe?token=${bad}`, {
        method: "POST",
      });
      expect(oneClick.status).toBe(400);
    }
  });

  it("an SMTP server refusing (550) is logged and retried, not lost", async () => {
    const gina = await absentMember();
    sink.refuseNext(1);
    const before = sink.refusedCount();
    const text = `@${gina.handle} refused once ${randomUUID()}`;
    await sendAndAck(alice.socket, general, text);
    const [mail] = (await sink.waitFor(gina.email)) as [ReceivedMail];
    expect(sink.refusedCount()).toBe(before + 1);
    expect(mail.parsed.text).toContain(text);
    await waitFor(
      () => /"error":"[^"]*550[^"]*","msg":"mail not sent"/.test(server.output()),
      "the refusal logged",
    );
  });

  it("measures send → SMTP receipt over 100 mentions (printed, not asserted)", async () => {
    const hank = await absentMember();
    const sent: { tag: string; at: number }[] = [];
    for (let i = 0; i < 100; i++) {
      const tag = `m${i}x${randomUUID().slice(0, 6)}`;
      sent.push({ tag, at: Date.now() });
      await sendAndAck(alice.socket, general, `@${hank.handle} ${tag}`);
    }
    await waitFor(
      () => {
        const all = sink
          .to(hank.email)
          .map((m) => m.parsed.text ?? "")
          .join("\n");
        return sent.every((s) => all.includes(s.tag));
      },
      "every mention mailed",
      30_000,
    );
    const mails = sink.to(hank.email);
    const latency = sent.map((s) => {
      const mail = mails.find((m) => (m.parsed.text ?? "").includes(s.tag));
      return (mail?.receivedAt ?? Number.NaN) - s.at;
    });
    const late = latency.map((ms) => ms - DELAY_MS);
    const pct = (values: number[], p: number) => {
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
    };
    console.log(
      `[email latency] 100 mentions, delay ${DELAY_MS} ms, ${mails.length} digests: ` +
        `send→receipt p50 ${pct(latency, 50)} ms p99 ${pct(latency, 99)} ms; ` +
        `after due p50 ${pct(late, 50)} ms p99 ${pct(late, 99)} ms`,
    );
    expect(latency.every(Number.isFinite)).toBe(true);
  });

  it("a send cut off mid-SMTP (rows left marked) is settled as sent: at most once", async () => {
    const jo = await absentMember();
    const message = await sendAndAck(alice.socket, general, `no mention ${randomUUID()}`);
    // What a sender that died between marking and settling leaves behind.
    const db = openDb(server.dataDir);
    try {
      db.prepare(
        "INSERT INTO email_pending (user_id, room_id, seq, message_id, due_at, created_at, batch) VALUES (?, ?, ?, ?, ?, ?, 'dead-batch')",
      ).run(jo.userId, general, message.seq, message.id, Date.now() - 1, Date.now() - 1);
      db.prepare("INSERT INTO email_state (user_id) VALUES (?)").run(jo.userId);
    } finally {
      db.close();
    }
    await waitFor(() => pendingFor(jo.userId) === 0 && claimFree(jo.userId), "jo settled");
    // The server's log reaches us through its stdout pipe, after the rows change.
    await waitFor(
      () => server.output().includes("settled an interrupted send as sent"),
      "the settling logged",
    );
    expect(sink.to(jo.email)).toHaveLength(0);
  });

  it("at most one email per user per delay window: a row due early waits for the window", async () => {
    const kim = await absentMember();
    await sendAndAck(alice.socket, general, `@${kim.handle} first ${randomUUID()}`);
    const [first] = (await sink.waitFor(kim.email)) as [ReceivedMail];
    // A row already due right after that email, as if queued with a shorter wait.
    const later = await sendAndAck(alice.socket, general, `no mention ${randomUUID()}`);
    const db = openDb(server.dataDir);
    try {
      db.prepare(
        "INSERT INTO email_pending (user_id, room_id, seq, message_id, due_at, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      ).run(kim.userId, general, later.seq, later.id, Date.now() - 1, Date.now() - 1);
    } finally {
      db.close();
    }
    const mails = await sink.waitFor(kim.email, 2);
    expect(mails[1]?.parsed.text).toContain(later.text);
    expect((mails[1]?.receivedAt ?? 0) - first.receivedAt).toBeGreaterThanOrEqual(DELAY_MS);
  });

  it("none once email is turned off in the settings after the mention was queued", async () => {
    const lee = await absentMember();
    await sendAndAck(alice.socket, general, `@${lee.handle} then off ${randomUUID()}`);
    await waitFor(() => pendingFor(lee.userId) === 1, "lee's row queued");
    // What the settings page stores: the row with email 0.
    const db = openDb(server.dataDir);
    try {
      db.prepare(
        "INSERT INTO notify_settings (user_id, email, updated_at) VALUES (?, 0, ?) ON CONFLICT (user_id) DO UPDATE SET email = 0",
      ).run(lee.userId, Date.now());
    } finally {
      db.close();
    }
    await waitFor(() => pendingFor(lee.userId) === 0 && claimFree(lee.userId), "lee's row dropped");
    expect(sink.to(lee.email)).toHaveLength(0);
  });

  // Last: it kills the server (alice's socket goes with it).
  it("none twice and none lost across a kill in the middle of the window", async () => {
    const ivy = await absentMember();
    const text = `@${ivy.handle} across a restart ${randomUUID()}`;
    await sendAndAck(alice.socket, general, text);
    await waitFor(() => pendingFor(ivy.userId) === 1, "ivy's row queued");
    await server.kill();
    await server.restart();
    const [mail] = (await sink.waitFor(ivy.email)) as [ReceivedMail];
    expect(mail.parsed.text).toContain(text);
    await waitFor(() => pendingFor(ivy.userId) === 0 && claimFree(ivy.userId), "ivy settled");
    expect(sink.to(ivy.email)).toHaveLength(1);
  });
});

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SearchHit } from "../../src/ports";
import { connect, type Frame, signUp } from "../helpers/clients";
import { authPost } from "../helpers/integration-extra";
import { waitFor } from "../helpers/node-client";
import { runScript } from "../helpers/portability";
import { type RunningServer, startServer } from "../helpers/server";
import { callServerFn } from "../helpers/server-fns";
import { postgresAvailable, testDatabase } from "../helpers/services";
import { slackFiles, zipOf } from "../helpers/slack-export";

// `npm run import -- slack` on a Slack export the test builds, into the
// data folder of a real server (stopped while importing, as README says),
// then read back through that server: order and seq, threads, reactions,
// edits, file links, search; a re-run imports nothing; bad input writes nothing.
const DANA = `dana-${Date.now()}@example.test`;
let server: RunningServer;
let dana: { cookie: string };
let zip: string;

const db = () => new DatabaseSync(join(server.dataDir, "parley.db"), { readOnly: true });
const count = (table: string) => {
  const handle = db();
  try {
    return Number((handle.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n);
  } finally {
    handle.close();
  }
};
const rows = <T>(query: string, ...params: string[]): T[] => {
  const handle = db();
  try {
    return handle.prepare(query).all(...params) as T[];
  } finally {
    handle.close();
  }
};
const importSlack = (path: string) => runScript("import", ["slack", path], server);

beforeAll(async () => {
  server = await startServer();
  dana = await signUp(server.url, { name: "Dana", email: DANA });
  await server.stop();
  zip = join(mkdtempSync(join(tmpdir(), "parley-slack-")), "export.zip");
  writeFileSync(zip, zipOf(slackFiles(DANA)));
});
afterAll(() => server?.stop());

describe("Slack import", () => {
  it("imports people, channels and messages in ts order, with threads, reactions and edits", async () => {
    const run = await importSlack(zip);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      "imported 4 users (1 matched by email, 3 created deactivated), 1 channels, 5 members, 8 messages, 3 thread replies, 3 reactions, 1 file links",
    );
    expect(run.stdout).toContain("1 messages of other kinds, 1 reactions with custom emoji");
    // Plain lines, not a bar, when stderr is not a terminal.
    expect(run.stderr).toContain("import: 1/2 #general");

    type Person = {
      id: string;
      email: string;
      handle: string;
      deactivated_at: number | null;
      bot: number;
    };
    const people = rows<Person>(
      'select id, email, handle, deactivated_at, bot from "user" order by handle',
    );
    const byHandle = new Map(people.map((p) => [p.handle, p]));
    // Dana matched her account by email: still one Dana, still active.
    expect(people.filter((p) => p.email === DANA)).toHaveLength(1);
    const danaRow = people.find((p) => p.email === DANA);
    expect(danaRow?.deactivated_at).toBeNull();
    for (const handle of ["eli", "fay", "ci-bot"]) {
      expect(byHandle.get(handle)?.deactivated_at, handle).not.toBeNull();
    }
    expect(byHandle.get("ci-bot")?.bot).toBe(1);

    // Slack's #general went into Parley's default room; #ops-slack is new.
    type Room = {
      id: string;
      slug: string;
      is_default: number;
      last_seq: number;
      topic: string | null;
    };
    const rooms = rows<Room>(
      "select id, slug, is_default, last_seq, topic from room order by slug",
    );
    expect(rooms.map((r) => r.slug)).toEqual(["general", "ops-slack"]);
    const general = rooms.find((r) => r.slug === "general") as Room;
    const ops = rooms.find((r) => r.slug === "ops-slack") as Room;
    expect(general.is_default).toBe(1);
    expect(ops.topic).toBe("Pages and alerts");

    type Msg = {
      id: string;
      seq: number;
      text: string;
      created_at: number;
      edited_at: number | null;
      thread_root_id: string | null;
      also_in_room: number;
      reply_count: number;
      author: string;
    };
    const messages = rows<Msg>(
      `select m.id, m.seq, m.text, m.created_at, m.edited_at, m.thread_root_id, m.also_in_room,
        m.reply_count, u.handle as author from message m join "user" u on u.id = m.author_id
        where m.room_id = ? order by m.seq`,
      general.id,
    );
    // seq follows ts across day files given newest first.
    expect(messages.map((m) => [m.seq, m.text])).toEqual([
      [1, "deploy today? @eli"],
      [2, "yes, after lunch"],
      [3, "the runbook\n[Runbook](https://acme.slack.com/files/U3/F1/runbook.pdf)"],
      [4, "sent to the channel too"],
      [5, "day two, see [the doc](https://example.test/doc) & #ops-slack"],
      [6, "late reply in the thread"],
    ]);
    expect(general.last_seq).toBe(6);
    const [root, reply, , broadcast, , late] = messages as Msg[];
    expect(root?.created_at).toBe(1_700_006_400_000);
    expect(root?.reply_count).toBe(3);
    expect(reply?.thread_root_id).toBe(root?.id);
    expect(reply?.edited_at).toBe(1_700_006_460_000);
    expect(broadcast).toMatchObject({ thread_root_id: root?.id, also_in_room: 1 });
    expect(late?.thread_root_id).toBe(root?.id);

    const reactions = rows<{ emoji: string; handle: string }>(
      `select r.emoji, u.handle from reaction r join "user" u on u.id = r.user_id
        where r.message_id = ? order by r.emoji, u.handle`,
      root?.id ?? "",
    );
    expect(reactions).toEqual([
      { emoji: "🎉", handle: "eli" },
      { emoji: "👍", handle: "eli" },
      { emoji: "👍", handle: "fay" },
    ]);
    const mentions = rows<{ seq: number; user_id: string }>(
      "select seq, user_id from message_mention where room_id = ?",
      general.id,
    );
    expect(mentions).toEqual([{ seq: 1, user_id: byHandle.get("eli")?.id }]);
    const opsTexts = rows<{ seq: number; text: string }>(
      "select seq, text from message where room_id = ? order by seq",
      ops.id,
    );
    expect(opsTexts).toEqual([
      { seq: 1, text: "pager test @here" },
      { seq: 2, text: "ack" },
    ]);
  });

  it("serves the imported history: fetch by seq, thread counts, search", async () => {
    await server.restart();
    const socket = await connect(server.url, dana.cookie);
    try {
      const general = rows<{ id: string }>("select id from room where slug = 'general'")[0]?.id;
      socket.send({ type: "fetch", roomId: general, afterSeq: 0 });
      const done = (await socket.next((f) => f.type === "history" && f.done === true)) as Frame;
      const pages = socket.frames.filter((f) => f.type === "history" && f.roomId === general);
      type Wire = {
        id: string;
        seq: number;
        editedAt: string | null;
        threadRootId?: string;
        thread?: { replyCount: number };
        reactions: { emoji: string; count?: number }[];
      };
      const seen = pages.flatMap((f) => f.messages as Wire[]);
      expect(done).toBeDefined();
      expect(seen.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      const [root, reply] = seen as Wire[];
      expect(root?.thread?.replyCount).toBe(3);
      expect(root?.reactions.map((r) => r.emoji).sort()).toEqual(["🎉", "👍"]);
      expect(reply?.threadRootId).toBe(root?.id);
      expect(reply?.editedAt).toBe(new Date(1_700_006_460_000).toISOString());
      const answer = await callServerFn<SearchHit[]>(
        server.url,
        "searchFn",
        { q: "runbook" },
        { cookie: dana.cookie, method: "GET" },
      );
      if (!answer.ok) throw new Error(`search refused: ${answer.error.message}`);
      expect(answer.result.map((hit) => hit.message.seq)).toEqual([3]);
    } finally {
      socket.close();
      await server.stop();
    }
  });

  it("imports nothing twice on a re-run", async () => {
    const before = [count("message"), count('"user"'), count("room"), count("reaction")];
    const run = await importSlack(zip);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      "imported 0 users (0 matched by email, 0 created deactivated), 0 channels, 0 members, 0 messages",
    );
    expect(run.stdout).toContain("already imported: 8 messages");
    expect([count("message"), count('"user"'), count("room"), count("reaction")]).toEqual(before);
  });

  it("lets a created person claim their account by password reset", async () => {
    await server.restart();
    try {
      const password = "a brand new passphrase";
      const refused = await authPost(server.url, "/sign-in/email", {
        email: "eli@example.test",
        password,
      });
      // No password exists for it yet: nobody can sign in to it.
      expect(refused.status).toBe(401);
      const asked = await authPost(server.url, "/request-password-reset", {
        email: "eli@example.test",
        redirectTo: "/reset-password",
      });
      expect(asked.status).toBe(200);
      // Without SMTP the link goes to the server's log for an admin to hand over.
      let link = "";
      await waitFor(() => {
        link =
          /https?:\/\/\S+\/api\/auth\/reset-password\/[^\s"]+/.exec(server.output())?.[0] ?? "";
        return link !== "";
      }, "the reset link in the log");
      const followed = await fetch(link, { redirect: "manual" });
      const token = new URL(followed.headers.get("location") ?? "", server.url).searchParams.get(
        "token",
      );
      const reset = await authPost(server.url, "/reset-password", { newPassword: password, token });
      expect(reset.status).toBe(200);
      const signedIn = await authPost(server.url, "/sign-in/email", {
        email: "eli@example.test",
        password,
      });
      expect(signedIn.status).toBe(200);
      const eli = rows<{ deactivated_at: number | null }>(
        `select deactivated_at from "user" where email = 'eli@example.test'`,
      );
      expect(eli).toEqual([{ deactivated_at: null }]);
      expect(
        rows("select * from import_map where kind = 'unclaimed' and source_id = 'U2'"),
      ).toEqual([]);
      // Fay has not claimed hers: still deactivated.
      const fay = rows<{ deactivated_at: number | null }>(
        `select deactivated_at from "user" where email = 'fay@example.test'`,
      );
      expect(fay[0]?.deactivated_at).not.toBeNull();
    } finally {
      await server.stop();
    }
  });

  it("writes a channel whole or not at all", async () => {
    // A trigger makes the database refuse one message of a new channel.
    const handle = new DatabaseSync(join(server.dataDir, "parley.db"));
    handle.exec(`create trigger refuse_boom before insert on message when new.text = 'boom'
      begin select raise(abort, 'refused by the test'); end`);
    handle.close();
    const before = [count("message"), count("room"), count("import_map")];
    const files = slackFiles(DANA);
    const path = join(mkdtempSync(join(tmpdir(), "parley-slack-half-")), "half.zip");
    writeFileSync(
      path,
      zipOf({
        ...files,
        "channels.json": [
          ...(files["channels.json"] as object[]),
          { id: "C3", name: "halfway", members: ["U1"] },
        ],
        "halfway/2023-11-20.json": [
          { type: "message", user: "U1", text: "first of two", ts: "1700500000.000001" },
          { type: "message", user: "U1", text: "boom", ts: "1700500001.000001" },
        ],
      }),
    );
    const run = await importSlack(path);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("refused by the test");
    expect([count("message"), count("room"), count("import_map")]).toEqual(before);
    const cleanup = new DatabaseSync(join(server.dataDir, "parley.db"));
    cleanup.exec("drop trigger refuse_boom");
    cleanup.close();
  });

  it("imports into PostgreSQL too, when TEST_POSTGRES_URL answers", async (context) => {
    if (!(await postgresAvailable())) context.skip();
    const database = testDatabase("parley_slack");
    await database.create();
    try {
      const store = {
        dataDir: mkdtempSync(join(tmpdir(), "parley-slack-pg-")),
        databaseUrl: database.url,
      };
      const first = await runScript("import", ["slack", zip], store);
      expect(first.stderr).not.toMatch(/Error/);
      expect(first.code).toBe(0);
      expect(first.stdout).toContain(
        "imported 4 users (0 matched by email, 4 created deactivated), 2 channels, 5 members, 8 messages, 3 thread replies, 3 reactions, 1 file links",
      );
      const again = await runScript("import", ["slack", zip], store);
      expect(again.stdout).toContain("already imported: 8 messages");
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const seqs = await client.query(
          "select m.seq, m.text from message m join room r on r.id = m.room_id where r.slug = 'general' order by m.seq",
        );
        expect(seqs.rows.map((r) => [Number(r.seq), r.text])).toEqual([
          [1, "deploy today? @eli"],
          [2, "yes, after lunch"],
          [3, "the runbook\n[Runbook](https://acme.slack.com/files/U3/F1/runbook.pdf)"],
          [4, "sent to the channel too"],
          [5, "day two, see [the doc](https://example.test/doc) & #ops-slack"],
          [6, "late reply in the thread"],
        ]);
        // Searchable: the generated tsvector column indexes imported text.
        const found = await client.query(
          "select text from message where search @@ plainto_tsquery('simple', 'runbook')",
        );
        expect(found.rows).toHaveLength(1);
      } finally {
        await client.end();
      }
    } finally {
      await database.drop();
    }
  });

  it("refuses bad input with the file named, and writes nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-slack-bad-"));
    const write = (name: string, bytes: Uint8Array | string) => {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      return path;
    };
    const before = [count("message"), count('"user"'), count("room"), count("import_map")];
    const files = slackFiles("someone-else@example.test");
    const cases: [string, string, RegExp][] = [
      [write("text.zip", "this is not a zip"), "not a zip", /text\.zip: not a zip file/],
      [
        write("nousers.zip", zipOf({ ...files, "users.json": undefined })),
        "no users.json",
        /nousers\.zip: users\.json missing/,
      ],
      [
        write(
          "badday.zip",
          zipOf({
            ...files,
            "channels.json": [
              ...(files["channels.json"] as object[]),
              { id: "C9", name: "fresh", members: ["U1"] },
            ],
            "fresh/2023-11-14.json": new TextEncoder().encode("[{"),
          }),
        ),
        "malformed day file",
        /badday\.zip: fresh\/2023-11-14\.json: not JSON/,
      ],
      [
        write(
          "badts.zip",
          zipOf({
            ...files,
            "ops-slack/2023-11-16.json": [{ type: "message", user: "U2", ts: "yesterday" }],
          }),
        ),
        "a message without a Slack ts",
        /badts\.zip: ops-slack\/2023-11-16\.json: message 1: not a Slack ts at ts/,
      ],
      [
        write("badusers.zip", zipOf({ ...files, "users.json": { id: "U1" } })),
        "users.json not a list",
        /badusers\.zip: users\.json: /,
      ],
    ];
    for (const [path, what, message] of cases) {
      const run = await importSlack(path);
      expect(run.code, what).toBe(1);
      expect(run.stderr, what).toMatch(message);
    }
    const missing = await importSlack(join(dir, "absent.zip"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/absent\.zip: no such file/);
    expect([count("message"), count('"user"'), count("room"), count("import_map")]).toEqual(before);
  });
});

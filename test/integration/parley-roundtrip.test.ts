import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, joinAs, roomIdFromReady, sendAndAck } from "../helpers/integration-extra";
import { runScript } from "../helpers/portability";
import { type RunningServer, startServer } from "../helpers/server";
import { postgresAvailable, testDatabase } from "../helpers/services";
import { slackFiles, zipOf } from "../helpers/slack-export";

// `npm run export` then `npm run import -- parley` into a fresh data folder
// (and a fresh PostgreSQL database), exported again: the same lines. The
// history is made the real way (a server, sockets: a thread, reactions, an
// edit, a pin) plus a Slack import on top.
let server: RunningServer;
const work = mkdtempSync(join(tmpdir(), "parley-roundtrip-"));
const exportA = join(work, "a.jsonl");

/** The lines of an export without its header (which carries the export's own time). */
const body = (path: string) => readFileSync(path, "utf8").trim().split("\n").slice(1);
const fresh = () => ({ dataDir: mkdtempSync(join(tmpdir(), "parley-import-")) });
const messageCount = (dataDir: string) => {
  const db = new DatabaseSync(join(dataDir, "parley.db"), { readOnly: true });
  try {
    return Number((db.prepare("select count(*) as n from message").get() as { n: number }).n);
  } finally {
    db.close();
  }
};

beforeAll(async () => {
  server = await startServer();
  const ann = await joinAs(server.url, ["general"], "Ann");
  const bob = await joinAs(server.url, ["general"], "Bob");
  try {
    const general = roomIdFromReady(ann.socket, "general");
    const root = await sendAndAck(ann.socket, general, "release at noon, @bob?");
    await sendAndAck(bob.socket, general, "second message");
    bob.socket.send({
      type: "send",
      roomId: general,
      clientId: "r1",
      text: "works for me",
      threadRootId: root.id,
    });
    await bob.socket.next((f) => f.type === "ack" && f.clientId === "r1");
    ann.socket.send({ type: "react", roomId: general, messageId: root.id, emoji: "👍" });
    bob.socket.send({ type: "react", roomId: general, messageId: root.id, emoji: "🎉" });
    ann.socket.send({
      type: "edit",
      roomId: general,
      messageId: root.id,
      text: "release at one, @bob?",
    });
    ann.socket.send({ type: "pin", roomId: general, messageId: root.id, pinned: true });
    await ann.socket.next(
      (f) => f.type === "updated" && (f.message as { pinnedAt?: unknown }).pinnedAt != null,
    );
    await ann.socket.next(
      (f) =>
        f.type === "updated" &&
        (f.message as { reactions: unknown[] }).reactions.length === 2 &&
        (f.message as { editedAt: unknown }).editedAt != null,
    );
  } finally {
    await closeAll([ann.socket, bob.socket]);
  }
  await server.stop();
  const zip = join(work, "slack.zip");
  writeFileSync(zip, zipOf(slackFiles("nobody@example.test")));
  const slack = await runScript("import", ["slack", zip], server);
  if (slack.code !== 0) throw new Error(`slack import failed: ${slack.stderr}`);
  const run = await runScript("export", [exportA], server);
  if (run.code !== 0) throw new Error(`export failed: ${run.stderr}`);
});
afterAll(() => server?.stop());

describe("Parley export and import", () => {
  it("exports the documented lines, with no password hashes", () => {
    const text = readFileSync(exportA, "utf8");
    const lines = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string });
    expect(lines[0]).toMatchObject({
      type: "header",
      format: "parley-export",
      version: 1,
      scope: "server",
    });
    expect(lines.at(-1)).toMatchObject({
      type: "end",
      counts: { users: 6, rooms: 2, messages: 11 },
    });
    const root = lines.find(
      (l) => l.type === "message" && (l as { text?: string }).text === "release at one, @bob?",
    ) as Record<string, unknown>;
    expect(root).toMatchObject({ replyCount: 1, mentions: [expect.any(String)] });
    expect(root.editedAt).toEqual(expect.any(Number));
    expect(root.pinnedAt).toEqual(expect.any(Number));
    expect((root.reactions as unknown[]).length).toBe(2);
    expect(text).not.toMatch(/password|scrypt|"token/i);
  });

  it("never overwrites a file", async () => {
    const before = readFileSync(exportA, "utf8");
    const again = await runScript("export", [exportA], server);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`${exportA} exists already: choose another name`);
    expect(readFileSync(exportA, "utf8")).toBe(before);
  });

  it("round-trips through a fresh SQLite data folder", async () => {
    const target = fresh();
    const imported = await runScript("import", ["parley", exportA], target);
    expect(imported.stderr).not.toMatch(/Error/);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain(
      "imported 6 users, 2 rooms, 7 members, 11 messages, 5 reactions",
    );
    const exportB = join(work, "b.jsonl");
    expect((await runScript("export", [exportB], target)).code).toBe(0);
    expect(body(exportB)).toEqual(body(exportA));

    // The same file again imports nothing; new messages still get the next seq.
    const again = await runScript("import", ["parley", exportA], target);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("imported 0 users, 0 rooms, 0 members, 0 messages");
    expect(again.stdout).toContain("already present: 6 users, 2 rooms, 11 messages");
    expect(messageCount(target.dataDir)).toBe(11);

    // A server starts on the imported folder and keeps the seq counters.
    const restored = await startServer({ dataDir: target.dataDir });
    try {
      const eve = await joinAs(restored.url, ["general"], "Eve");
      const general = roomIdFromReady(eve.socket, "general");
      const next = await sendAndAck(eve.socket, general, "after the import");
      expect(next.seq).toBe(10);
      await closeAll([eve.socket]);
    } finally {
      await restored.stop();
    }
  });

  it("refuses a cut-off, malformed or clashing file and writes nothing", async () => {
    const lines = readFileSync(exportA, "utf8").trim().split("\n");
    const write = (name: string, text: string) => {
      const path = join(work, name);
      writeFileSync(path, text);
      return path;
    };
    const cases: [string, RegExp][] = [
      [
        write("cut.jsonl", `${lines.slice(0, -3).join("\n")}\n`),
        /cut\.jsonl: no end line: the file is cut off/,
      ],
      [write("garbage.jsonl", `${lines[0]}\n{not json\n`), /garbage\.jsonl: line 2: not JSON/],
      [
        write("noheader.jsonl", `${lines.slice(1).join("\n")}\n`),
        /line 1: the first line must be the header/,
      ],
      [
        write(
          "badcount.jsonl",
          `${lines.slice(0, -1).join("\n")}\n{"type":"end","counts":{"users":1,"rooms":2,"members":7,"messages":11}}\n`,
        ),
        /the end line counts 1 users, the file holds 6/,
      ],
      [
        write(
          "self.jsonl",
          `${lines[0]?.replace('"server"', '"self"')}\n${lines.slice(1).join("\n")}\n`,
        ),
        /a self-export .* cannot be imported/,
      ],
    ];
    for (const [path, message] of cases) {
      const target = fresh();
      const run = await runScript("import", ["parley", path], target);
      expect(run.code, path).toBe(1);
      expect(run.stderr, path).toMatch(message);
    }
    // A server that has its own "general" (another id): refused whole.
    const other = await startServer();
    await joinAs(other.url, ["general"], "Zed").then((z) => closeAll([z.socket]));
    await other.stop();
    const before = messageCount(other.dataDir);
    const clash = await runScript("import", ["parley", exportA], other);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toMatch(
      /nothing imported: room general: another room has its name, slug or place/,
    );
    expect(messageCount(other.dataDir)).toBe(before);
  });

  it("round-trips through PostgreSQL when TEST_POSTGRES_URL answers", async (context) => {
    if (!(await postgresAvailable())) context.skip();
    const database = testDatabase("parley_export");
    await database.create();
    try {
      const store = { ...fresh(), databaseUrl: database.url };
      const imported = await runScript("import", ["parley", exportA], store);
      expect(imported.stderr).not.toMatch(/Error/);
      expect(imported.code).toBe(0);
      const exportPg = join(work, "pg.jsonl");
      expect((await runScript("export", [exportPg], store)).code).toBe(0);
      expect(body(exportPg)).toEqual(body(exportA));
    } finally {
      await database.drop();
    }
  });
});

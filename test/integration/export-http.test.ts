import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ExportLine, parseExportLine } from "../../src/core/export-format";
import {
  closeAll,
  joinAs,
  type Member,
  roomIdFromReady,
  sendAndAck,
} from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";

// The admin console's room export and the /settings self-export, over the
// built server's HTTP: who may, what is in it, and the audit row.
let server: RunningServer;
let owner: Member;
let member: Member;
let general: string;

const get = (path: string, cookie?: string, method = "GET") =>
  fetch(`${server.url}${path}`, { method, headers: cookie ? { cookie } : {} });

/** The body's lines, each checked against the export format's schema. */
async function linesOf(response: Response): Promise<ExportLine[]> {
  const text = await response.text();
  return text
    .trim()
    .split("\n")
    .map((line, i) => {
      const parsed = parseExportLine(line, i + 1);
      if (!parsed.ok) throw new Error(parsed.error);
      return parsed.line;
    });
}

beforeAll(async () => {
  server = await startServer();
  // The first sign-up owns the server.
  owner = await joinAs(server.url, ["general"], "Olga");
  member = await joinAs(server.url, ["general"], "Mika");
  general = roomIdFromReady(owner.socket, "general");
  const mine = await sendAndAck(member.socket, general, "mika's own words");
  await sendAndAck(owner.socket, general, "olga's words");
  owner.socket.send({ type: "react", roomId: general, messageId: mine.id, emoji: "👍" });
  member.socket.send({ type: "react", roomId: general, messageId: mine.id, emoji: "🎉" });
  await member.socket.next(
    (f) => f.type === "updated" && (f.message as { reactions: unknown[] }).reactions.length === 2,
  );
});
afterAll(async () => {
  await closeAll([owner.socket, member.socket]);
  await server?.stop();
});

describe("admin room export", () => {
  it("is refused signed out (401) and to a member (403)", async () => {
    const out = await get(`/api/export/rooms/${general}`);
    expect(out.status).toBe(401);
    expect(await out.json()).toMatchObject({ error: "unauthorized" });
    const refused = await get(`/api/export/rooms/${general}`, member.cookie);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      error: "forbidden",
      message: "Only admins can export a room.",
    });
  });

  it("answers 404 for no such room and 405 for another method", async () => {
    expect((await get("/api/export/rooms/no-such-room", owner.cookie)).status).toBe(404);
    const post = await get(`/api/export/rooms/${general}`, owner.cookie, "POST");
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET");
  });

  it("downloads the room as JSONL to an admin, and audits it", async () => {
    const answer = await get(`/api/export/rooms/${general}`, owner.cookie);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toContain("application/x-ndjson");
    expect(answer.headers.get("content-disposition")).toMatch(
      /^attachment; filename="parley-room-general-\d{4}-\d{2}-\d{2}\.jsonl"$/,
    );
    const lines = await linesOf(answer);
    expect(lines[0]).toMatchObject({ type: "header", scope: "room" });
    expect(lines.filter((l) => l.type === "room").map((l) => l.id)).toEqual([general]);
    const texts = lines.flatMap((l) => (l.type === "message" ? [l.text] : []));
    expect(texts).toEqual(["mika's own words", "olga's words"]);
    expect(lines.filter((l) => l.type === "user")).toHaveLength(2);
    expect(lines.at(-1)).toMatchObject({
      type: "end",
      counts: { rooms: 1, messages: 2, members: 2 },
    });

    const db = new DatabaseSync(join(server.dataDir, "parley.db"), { readOnly: true });
    try {
      const rows = db
        .prepare("select actor_id, room_id, details from audit_log where action = 'room.export'")
        .all();
      expect(rows).toEqual([
        { actor_id: owner.userId, room_id: general, details: JSON.stringify({ name: "general" }) },
      ]);
    } finally {
      db.close();
    }
  });
});

describe("self-export", () => {
  it("is refused signed out", async () => {
    expect((await get("/api/export/me")).status).toBe(401);
  });

  it("holds the user's own profile and messages only", async () => {
    const answer = await get("/api/export/me", member.cookie);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-disposition")).toMatch(/parley-my-messages-/);
    const lines = await linesOf(answer);
    expect(lines[0]).toMatchObject({ type: "header", scope: "self" });
    const users = lines.filter((l) => l.type === "user");
    expect(users.map((u) => u.id)).toEqual([member.userId]);
    const messages = lines.flatMap((l) => (l.type === "message" ? [l] : []));
    expect(messages.map((m) => m.text)).toEqual(["mika's own words"]);
    expect(messages.every((m) => m.authorId === member.userId)).toBe(true);
    // Of the reactions on it, only their own; no members of the room.
    expect(messages[0]?.reactions.map((r) => [r.userId, r.emoji])).toEqual([[member.userId, "🎉"]]);
    expect(lines.some((l) => l.type === "member")).toBe(false);
    expect(JSON.stringify(lines)).not.toContain("olga's words");
  });
});

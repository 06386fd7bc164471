import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type Frame } from "../helpers/clients";
import {
  joinAs,
  privateRoom,
  roomIdFromReady,
  sendAndAck,
  storedMessages,
} from "../helpers/integration-extra";
import { usePostgresServer } from "../helpers/postgres-server";
import { type RunningServer, startServer } from "../helpers/server";
import { callServerFn } from "../helpers/server-fns";
import { postgresAvailable } from "../helpers/services";

// Editing one's profile (issue 17, "editable"): saveProfileFn checks the
// name and handle with the sign-up rules, refuses a taken handle in any case
// and loses nothing, and the unique lower(handle) index lets exactly one of
// racing changes to one handle win, on SQLite and PostgreSQL.

type Answer =
  | { ok: true; user: { id: string; name: string; handle: string } }
  | { ok: false; field: "name" | "handle" | null; error: string };

async function saveProfile(url: string, cookie: string, name: string, handle: string) {
  const answer = await callServerFn<Answer>(url, "saveProfileFn", { name, handle }, { cookie });
  if (!answer.ok) throw new Error(`saveProfileFn failed: ${JSON.stringify(answer.error)}`);
  return answer.result;
}

/** The `user` of the `ready` frame a fresh socket of this cookie gets: what the server stored. */
async function readyUser(url: string, cookie: string) {
  const socket = await connect(url, cookie);
  const ready = socket.frames.find((f) => f.type === "ready") as Frame;
  socket.close();
  return ready.user as { id: string; name: string; handle?: string };
}

const fresh = (prefix: string) => `${prefix}${randomUUID().slice(0, 6)}`;

function describeProfileRules(label: string, serverOf: () => RunningServer) {
  it(`${label}: a handle another account holds, in any case, is "That handle is taken." and changes nothing`, async () => {
    const url = serverOf().url;
    const ann = await joinAs(url, ["general"], fresh("Ann"));
    const bob = await joinAs(url, ["general"], fresh("Bob"));
    ann.socket.close();
    bob.socket.close();
    const bobHandle = (await readyUser(url, bob.cookie)).handle as string;
    const before = await readyUser(url, ann.cookie);
    const taken = await saveProfile(url, ann.cookie, "Ann Renamed", bobHandle.toUpperCase());
    expect(taken).toEqual({
      ok: false,
      field: "handle",
      error: expect.stringMatching(/^That handle is taken\./),
    });
    expect(await readyUser(url, ann.cookie)).toEqual(before);
  });

  it(`${label}: a bad handle or name names the rule; a good change is stored in its stored form`, async () => {
    const url = serverOf().url;
    const ann = await joinAs(url, ["general"], fresh("Ann"));
    ann.socket.close();
    const before = await readyUser(url, ann.cookie);
    const cases: [string, string, "name" | "handle", RegExp][] = [
      ["Ann", "a", "handle", /2 to 32 characters/],
      ["Ann", "ann lee", "handle", /only letters a-z, digits, dots, dashes and underscores/],
      ["Ann", "...", "handle", /at least one letter or digit/],
      ["Ann", "", "handle", /Enter a handle/],
      ["", "ann.ok", "name", /Enter a name/],
      ["Ann\u200bLee", "ann.ok", "name", /invisible/],
    ];
    for (const [name, handle, field, rule] of cases) {
      const refused = await saveProfile(url, ann.cookie, name, handle);
      expect(refused).toMatchObject({ ok: false, field });
      expect(refused.ok ? "" : refused.error).toMatch(rule);
    }
    expect(await readyUser(url, ann.cookie)).toEqual(before);
    const handle = fresh("ann.new-");
    const saved = await saveProfile(url, ann.cookie, "  Ann   Lee ", ` @${handle.toUpperCase()} `);
    expect(saved).toEqual({ ok: true, user: { id: before.id, name: "Ann Lee", handle } });
    expect(await readyUser(url, ann.cookie)).toEqual({ id: before.id, name: "Ann Lee", handle });
    // Keeping one's own handle (any case) while renaming is no conflict.
    const again = await saveProfile(url, ann.cookie, "Ann L.", handle.toUpperCase());
    expect(again).toMatchObject({ ok: true, user: { name: "Ann L.", handle } });
  });

  it(`${label}: of 5 people changing to one free handle at once (cases differ), exactly one wins`, async () => {
    const url = serverOf().url;
    const people = await Promise.all(
      Array.from({ length: 5 }, (_, i) => joinAs(url, ["general"], fresh(`Racer${i}`))),
    );
    for (const p of people) p.socket.close();
    const handle = fresh("prize.");
    const spellings = [handle, handle.toUpperCase(), `@${handle}`, handle, handle.toUpperCase()];
    const answers = await Promise.all(
      people.map((p, i) => saveProfile(url, p.cookie, p.name, spellings[i] as string)),
    );
    const won = answers.filter((a) => a.ok);
    const lost = answers.filter((a) => !a.ok);
    console.log(`${label}: racing profile changes: ${won.length} won, ${lost.length} taken`);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(4);
    for (const a of lost)
      expect(a).toMatchObject({
        ok: false,
        field: "handle",
        error: expect.stringMatching(/That handle is taken/),
      });
    const holders = (await Promise.all(people.map((p) => readyUser(url, p.cookie)))).filter(
      (u) => u.handle === handle,
    );
    expect(holders).toHaveLength(1);
  });
}

describe("profile changes on SQLite (built server)", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  describeProfileRules("sqlite", () => server);

  it("others hear the new name and handle live; old mentions of the person follow them, others' are untouched", async () => {
    const ann = await joinAs(server.url, ["general"], fresh("Ann"));
    const bob = await joinAs(server.url, ["general"], fresh("Bob"));
    const general = roomIdFromReady(bob.socket, "general");
    const annOld = (await readyUser(server.url, ann.cookie)).handle as string;
    bob.socket.send({ type: "subscribe", roomId: general });
    await bob.socket.next((f) => f.type === "subscribed" && f.roomId === general);
    const mention = await sendAndAck(
      bob.socket,
      general,
      `hi @${annOld.toUpperCase()}, and @${annOld}.`,
    );
    // A room Ann is not in: its `@annOld` named nobody, so it is not hers to rewrite.
    const other = privateRoom(server.dataDir, [bob.userId]);
    bob.socket.send({ type: "subscribe", roomId: other.id });
    await bob.socket.next((f) => f.type === "subscribed" && f.roomId === other.id);
    const notHers = await sendAndAck(bob.socket, other.id, `@${annOld} is not in here`);

    const annNew = fresh("ann.renamed");
    const start = bob.socket.frames.length;
    const saved = await saveProfile(server.url, ann.cookie, "Ann Renamed", annNew);
    expect(saved.ok).toBe(true);
    const members = await bob.socket.next(
      (f) =>
        bob.socket.frames.indexOf(f) >= start &&
        f.type === "members" &&
        f.roomId === general &&
        (f.members as { id: string; handle?: string }[]).some(
          (m) => m.id === ann.userId && m.handle === annNew,
        ),
    );
    expect(
      (members.members as { id: string; name: string }[]).find((m) => m.id === ann.userId),
    ).toMatchObject({ name: "Ann Renamed" });

    const texts = (roomId: string) =>
      new Map(storedMessages(server.dataDir, roomId).map((m) => [m.id, m.text]));
    expect(texts(general).get(mention.id)).toBe(`hi @${annNew}, and @${annNew}.`);
    expect(texts(other.id).get(notHers.id)).toBe(`@${annOld} is not in here`);

    // Ann's open socket sends under the new name at once (no reconnect).
    const after = await sendAndAck(ann.socket, general, "renamed");
    expect(after.author).toMatchObject({ id: ann.userId, name: "Ann Renamed" });
    // The old handle is free for someone else now, and their mentions are theirs.
    const carol = await joinAs(server.url, ["general"], fresh("Carol"));
    expect(await saveProfile(server.url, carol.cookie, "Carol", annOld)).toMatchObject({
      ok: true,
    });
    expect(texts(general).get(mention.id)).toBe(`hi @${annNew}, and @${annNew}.`);
    for (const s of [ann.socket, bob.socket, carol.socket]) s.close();
  });

  it("signed out, saving is refused and nothing changes", async () => {
    const answer = await callServerFn(server.url, "saveProfileFn", { name: "X", handle: "xx" });
    expect(answer.ok).toBe(false);
  });
});

const pgReady = await postgresAvailable();

describe.runIf(pgReady)("profile changes on PostgreSQL (built server)", () => {
  const server = usePostgresServer("parley_profile");
  describeProfileRules("postgres", server);
});

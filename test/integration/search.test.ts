import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SearchHit } from "../../src/ports";
import { connect, getPage, signUp } from "../helpers/clients";
import {
  closeAll,
  joinAs,
  type Member,
  roomIdFromReady,
  sendAndAck,
  userIdOf,
} from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";
import { callServerFn } from "../helpers/server-fns";

// Search operators through the built server's searchFn: the parse, the
// refusal of a bad value, and `in:` never reaching a room one is not in.
let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

const search = (cookie: string, q: string) =>
  callServerFn<SearchHit[]>(server.url, "searchFn", { q }, { cookie, method: "GET" });

/** The texts a search finds, failing the test when it is refused. */
async function texts(cookie: string, q: string): Promise<string[]> {
  const answer = await search(cookie, q);
  if (!answer.ok) throw new Error(`search ${q} refused: ${answer.error.message}`);
  return answer.result.map((hit) => hit.message.text);
}

/** Like joinAs, for a name with a space (joinAs makes the email from the name). */
async function joinNamed(name: string): Promise<Member> {
  const user = await signUp(server.url, { name, email: `${randomUUID()}@example.test` });
  await getPage(server.url, "/r/general", user.cookie);
  const socket = await connect(server.url, user.cookie);
  return { ...user, userId: userIdOf(socket), socket };
}

describe("search operators", () => {
  it("narrow by author and room, and in: never reaches another's private room", async () => {
    const tag = randomUUID().slice(0, 8);
    const [ann, bob] = await Promise.all([
      joinAs(server.url, ["general"], `Ann${tag}`),
      joinNamed(`Bob ${tag}`),
    ]);
    const created = await callServerFn<{ ok: true; room: { id: string; slug: string } }>(
      server.url,
      "createRoomFn",
      { name: `vault ${tag}`, private: true },
      { cookie: bob.cookie },
    );
    if (!created.ok) throw new Error(`createRoomFn failed: ${created.error.message}`);
    const vault = created.result.room;
    const general = roomIdFromReady(ann.socket, "general");
    const word = `kestrel${tag}`;
    await sendAndAck(ann.socket, general, `${word} from ann https://example.com`);
    await sendAndAck(bob.socket, general, `${word} from bob`);
    await sendAndAck(bob.socket, vault.id, `${word} in the vault`);

    expect(await texts(ann.cookie, `${word} from:ann${tag}`)).toEqual([
      `${word} from ann https://example.com`,
    ]);
    expect(await texts(ann.cookie, `from:"bob ${tag}"`)).toEqual([`${word} from bob`]);
    expect(await texts(ann.cookie, `${word} has:link`)).toHaveLength(1);
    // Ann names Bob's private room by its slug and by its name: nothing comes back.
    expect(await texts(ann.cookie, `${word} in:${vault.slug}`)).toEqual([]);
    expect(await texts(ann.cookie, `in:"vault ${tag}"`)).toEqual([]);
    expect(await texts(bob.cookie, `in:"vault ${tag}"`)).toEqual([`${word} in the vault`]);
    expect((await texts(bob.cookie, word)).sort()).toEqual(
      [`${word} from ann https://example.com`, `${word} from bob`, `${word} in the vault`].sort(),
    );
    await closeAll([ann.socket, bob.socket]);
  });

  it("from: takes a handle, @ or not, and follows a handle change", async () => {
    const tag = randomUUID().slice(0, 8);
    const [ann, bob] = await Promise.all([
      joinAs(server.url, ["general"], `Ann${tag}`),
      joinNamed(`Bob ${tag}`),
    ]);
    const general = roomIdFromReady(ann.socket, "general");
    const word = `osprey${tag}`;
    await sendAndAck(ann.socket, general, `${word} from ann`);
    await sendAndAck(bob.socket, general, `${word} from bob`);
    // Bob's handle came from his name at sign-up: bob.<tag>.
    for (const q of [`from:@bob.${tag}`, `from:bob.${tag}`, `from:@BOB.${tag} ${word}`]) {
      expect(await texts(ann.cookie, q)).toEqual([`${word} from bob`]);
    }
    // The name as before.
    expect(await texts(ann.cookie, `from:bob${tag}`)).toEqual([`${word} from bob`]);
    const renamed = await callServerFn<{ ok: boolean }>(
      server.url,
      "saveProfileFn",
      { name: `Bob ${tag}`, handle: `robert.${tag}` },
      { cookie: bob.cookie },
    );
    expect(renamed).toMatchObject({ ok: true, result: { ok: true } });
    expect(await texts(ann.cookie, `from:@robert.${tag}`)).toEqual([`${word} from bob`]);
    expect(await texts(ann.cookie, `from:@bob.${tag}`)).toEqual([]);
    await closeAll([ann.socket, bob.socket]);
  });

  it("refuses a malformed date or operator value with what to write, and runs nothing", async () => {
    const ann = await joinAs(server.url);
    const refused = await search(ann.cookie, "deploy before:2026-13-45");
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.message).toBe(
        "“before:2026-13-45” is not a date: write before:YYYY-MM-DD, for example before:2026-03-01 (UTC).",
      );
    }
    const hasImage = await search(ann.cookie, "has:image");
    expect(hasImage.ok).toBe(false);
    if (!hasImage.ok) expect(hasImage.error.message).toMatch(/has: takes only link/);
    // An unknown operator is only words: searched, not refused.
    expect(await texts(ann.cookie, `foo:bar${randomUUID().slice(0, 8)}`)).toEqual([]);
    await closeAll([ann.socket]);
  });
});

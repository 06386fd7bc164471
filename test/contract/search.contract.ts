import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mayEdit, membershipOf } from "../../src/core/policy";
import { hasLink, parseSearchQuery } from "../../src/core/search-query";
import type { ChangeCheck } from "../../src/ports";
import { post } from "./post";
import type { StoreUnderTest } from "./stores.contract";

const ann = { id: "u-ann", name: "Ann" };
const bob = { id: "u-bob", name: "Bob" };
// A second person called Ann (names are not unique), and names that need folding.
const otherAnn = { id: "u-ann-2", name: "ann" };
const annLee = { id: "u-ann-lee", name: "Ann Lee" };
const emile = { id: "u-emile", name: "Émile" };

const byAuthor =
  (actorId: string): ChangeCheck =>
  (facts) =>
    mayEdit({ kind: "public", name: "a" }, membershipOf(true), facts, actorId);

/**
 * Search operators (core/search-query parses; each driver's SQL filters),
 * one test per operator; every driver must pass it. The searcher is Ann.
 */
export function describeSearchContract(driver: string, open: () => Promise<StoreUnderTest>) {
  describe(`search contract: ${driver}`, () => {
    let store: StoreUnderTest;
    beforeEach(async () => {
      store = await open();
      for (const user of [ann, bob, otherAnn, annLee, emile])
        await store.addUser(user.id, user.name);
    });
    afterEach(() => store.close());

    const room = async (slug: string, members: { id: string }[], kind?: "private") => {
      const created = await store.rooms.createRoom({
        name: slug.split("--")[0] ?? slug,
        slug,
        createdBy: ann.id,
        ...(kind ? { kind } : {}),
      });
      for (const member of members) await store.rooms.join(created.id, member.id);
      return created;
    };
    let sent = 0;
    const say = async (roomId: string, author: { id: string; name: string }, text: string) =>
      (await post(store, { roomId, author, clientId: `c${++sent}`, text })).message;
    /** Sets a message's time, so order and date filters do not hang on the clock. */
    const at = (id: string, iso: string) =>
      store.db
        .updateTable("message")
        .set({ created_at: Date.parse(iso) })
        .where("id", "=", id)
        .execute();
    const find = async (typed: string, userId = ann.id) => {
      const { query, problems } = parseSearchQuery(typed);
      expect(problems).toEqual([]);
      return (await store.search.search(userId, query, 50)).map((hit) => hit.message.text);
    };

    it("from: finds every person with the name, any case, quoted or without spaces, newest first", async () => {
      const a = await room("a", [ann, bob, otherAnn, annLee, emile]);
      const first = await say(a.id, ann, "ann one");
      const second = await say(a.id, otherAnn, "other ann two");
      await say(a.id, bob, "bob three deploy");
      await say(a.id, annLee, "ann lee four");
      await say(a.id, emile, "emile five");
      await at(first.id, "2026-01-01T10:00:00Z");
      await at(second.id, "2026-01-02T10:00:00Z");
      expect(await find("from:ann")).toEqual(["other ann two", "ann one"]);
      expect(await find("FROM:ANN")).toEqual(["other ann two", "ann one"]);
      expect(await find('from:"Ann Lee"')).toEqual(["ann lee four"]);
      expect(await find("from:annlee")).toEqual(["ann lee four"]);
      expect(await find("from:@Bob deploy")).toEqual(["bob three deploy"]);
      expect(await find("from:bob ann")).toEqual([]);
      expect(await find("from:ÉMILE")).toEqual(["emile five"]);
      expect(await find("from:bob from:émile").then((t) => t.sort())).toEqual([
        "bob three deploy",
        "emile five",
      ]);
      expect(await find("from:nobody")).toEqual([]);
    });

    it("from: takes a handle, with or without @, any case, besides the name", async () => {
      const a = await room("a", [ann, bob, otherAnn, annLee]);
      const setHandle = (id: string, handle: string) =>
        store.db.updateTable("user").set({ handle }).where("id", "=", id).execute();
      await setHandle(bob.id, "rob.b");
      await setHandle(annLee.id, "lee");
      await setHandle(ann.id, "ann");
      await say(a.id, bob, "bob one");
      await say(a.id, annLee, "ann lee two");
      await say(a.id, otherAnn, "other ann three");
      expect(await find("from:@rob.b")).toEqual(["bob one"]);
      expect(await find("from:ROB.B")).toEqual(["bob one"]);
      expect(await find("from:@lee")).toEqual(["ann lee two"]);
      // What worked before still does: a name key, with or without @.
      expect(await find("from:@bob")).toEqual(["bob one"]);
      expect(await find("from:annlee")).toEqual(["ann lee two"]);
      // @ann is Ann's handle and otherAnn's name: both, as a name always did.
      expect(await find("from:@ann")).toEqual(["other ann three"]);
      expect(await find("from:@rob.b from:@lee").then((t) => t.sort())).toEqual([
        "ann lee two",
        "bob one",
      ]);
      expect(await find("from:@nobody.here")).toEqual([]);
    });

    it("in: narrows to one of the user's rooms, and never reaches a room they are not in", async () => {
      const a = await room("a", [ann]);
      const b = await room("b", [bob]);
      const design = await room("design--x7k2m9q1", [ann], "private");
      await say(a.id, ann, "plan in a");
      await say(b.id, bob, "plan in b");
      await say(design.id, ann, "plan in design");
      expect(await find("plan in:a")).toEqual(["plan in a"]);
      expect(await find("in:#A")).toEqual(["plan in a"]);
      expect(await find("plan in:b")).toEqual([]);
      expect(await find("in:b")).toEqual([]);
      expect(await find("plan in:b", bob.id)).toEqual(["plan in b"]);
      // A private room by its name's slug, or by its whole slug.
      expect(await find("in:design")).toEqual(["plan in design"]);
      expect(await find("in:design--x7k2m9q1")).toEqual(["plan in design"]);
      expect(await find("in:design", bob.id)).toEqual([]);
      expect(await find("plan in:a in:b in:design").then((t) => t.sort())).toEqual([
        "plan in a",
        "plan in design",
      ]);
    });

    it("before: and after: compare with whole UTC days, each excluding its day", async () => {
      const a = await room("a", [ann]);
      const times = {
        "late on the 27th": "2026-02-27T23:59:59.999Z",
        "noon on the 28th": "2026-02-28T12:00:00.000Z",
        "first of March": "2026-03-01T00:00:00.000Z",
      };
      for (const [text, iso] of Object.entries(times))
        await at((await say(a.id, ann, text)).id, iso);
      expect(await find("before:2026-02-28")).toEqual(["late on the 27th"]);
      expect(await find("after:2026-02-28")).toEqual(["first of March"]);
      expect(await find("after:2026-02-27")).toEqual(["first of March", "noon on the 28th"]);
      expect(await find("after:2026-02-27 before:2026-03-01")).toEqual(["noon on the 28th"]);
      expect(await find("noon before:2026-03-01")).toEqual(["noon on the 28th"]);
      expect(await find("after:2026-03-01")).toEqual([]);
      expect(await find("before:2026-02-28 after:2026-02-28")).toEqual([]);
    });

    it("has:link finds the messages the message view shows a link in", async () => {
      const a = await room("a", [ann]);
      const texts = [
        "see https://example.com/x",
        "HTTP://CAPS.EXAMPLE now",
        "(https://in.parens.example)",
        "xhttps://glued.example",
        "http:// and nothing",
        "mailto:ann@example.com",
        "ftp://files.example",
        "plain words",
      ];
      for (const text of texts) await say(a.id, ann, text);
      const linked = await find("has:link");
      expect(linked.sort()).toEqual(texts.filter(hasLink).sort());
      expect(linked).toHaveLength(3);
      expect(await find("has:LINK see")).toEqual(["see https://example.com/x"]);
    });

    it("is:thread finds roots with replies and replies, not other messages", async () => {
      const a = await room("a", [ann, bob]);
      const root = await say(a.id, ann, "root of the thread");
      const reply = await say(a.id, bob, "reply in the thread");
      await say(a.id, ann, "plain thread word");
      await say(a.id, ann, "a root nobody answered");
      // Threads are another store's work: set the columns a root and a reply have.
      await store.db
        .updateTable("message")
        .set({ reply_count: 1 })
        .where("id", "=", root.id)
        .execute();
      await store.db
        .updateTable("message")
        .set({ thread_root_id: root.id })
        .where("id", "=", reply.id)
        .execute();
      expect((await find("is:thread")).sort()).toEqual([
        "reply in the thread",
        "root of the thread",
      ]);
      expect(await find("is:thread reply")).toEqual(["reply in the thread"]);
      expect(await find("is:thread from:bob")).toEqual(["reply in the thread"]);
    });

    it("combines words and operators, skips deleted messages, and finds nothing for nothing", async () => {
      const a = await room("a", [ann, bob]);
      const b = await room("b", [ann]);
      const gone = await say(a.id, ann, "deploy https://old.example");
      await say(a.id, ann, "deploy https://ci.example");
      await say(b.id, ann, "deploy https://elsewhere.example");
      await say(a.id, bob, "deploy https://bob.example");
      await say(a.id, ann, "deploy without a link");
      await store.messages.remove(a.id, gone.id, byAuthor(ann.id));
      expect(await find("deploy from:ann in:a has:link")).toEqual(["deploy https://ci.example"]);
      expect((await find("from:ann has:link")).sort()).toEqual([
        "deploy https://ci.example",
        "deploy https://elsewhere.example",
      ]);
      expect(await find("")).toEqual([]);
      expect(await find("  ")).toEqual([]);
    });
  });
}

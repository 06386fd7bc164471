import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type PeopleQuery, parsePeopleQuery, personMatches } from "../../src/core/people-search";
import type { StoreUnderTest } from "./stores.contract";

/** People with handles and emails, as better-auth's table holds them. */
const PEOPLE = [
  { id: "p-dana1", name: "Dana Lee", handle: "dana.lee", email: "dlee@corp.test" },
  { id: "p-dana2", name: "Dana Lee", handle: "dana2", email: "dana@home.test" },
  { id: "p-dan", name: "Dan", handle: "dan", email: "x9@corp.test" },
  { id: "p-bob", name: "Bob Okafor", handle: "bobo", email: "robert.okafor@corp.test" },
  { id: "p-zoe", name: "Zoë Quill", handle: "zq", email: "zoe@corp.test" },
  { id: "p-pct", name: "100% Real", handle: "real_100", email: "pct@corp.test" },
] as const;

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The order the stores promise: the exact handle first, then name, then id. */
function expected(query: PeopleQuery, limit: number): string[] {
  return PEOPLE.filter((person) => personMatches(person, query))
    .sort(
      (a, b) =>
        Number(a.handle !== query.prefix) - Number(b.handle !== query.prefix) ||
        compare(a.name.toLowerCase(), b.name.toLowerCase()) ||
        compare(a.id, b.id),
    )
    .slice(0, limit)
    .map((person) => person.id);
}

/**
 * UserDirectory.searchPeople (the people picker, issue 17): every driver
 * runs core/people-search's rule in SQL, and never answers with an email.
 */
export function describePeopleSearchContract(driver: string, open: () => Promise<StoreUnderTest>) {
  describe(`people search contract: ${driver}`, () => {
    let store: StoreUnderTest;
    beforeEach(async () => {
      store = await open();
      await store.db
        .insertInto("user")
        .values(PEOPLE.map((person) => ({ ...person })))
        .execute();
    });
    afterEach(() => store.close());

    const ids = async (typed: string, limit = 10) => {
      const query = parsePeopleQuery(typed);
      if (!query) throw new Error(`nothing to search in ${JSON.stringify(typed)}`);
      return (await store.users.searchPeople(query, limit)).map((person) => person.id);
    };

    it("matches a handle prefix, case-insensitively, the exact handle first", async () => {
      expect(await ids("DAN")).toEqual(["p-dan", "p-dana1", "p-dana2"]);
      expect(await ids("dana.")).toEqual(["p-dana1"]);
      expect(await ids("bob")).toEqual(["p-bob"]);
    });

    it("matches a display name prefix, including names that are not ASCII", async () => {
      expect(await ids("dana l")).toEqual(["p-dana1", "p-dana2"]);
      expect(await ids("Okaf")).toEqual([]);
      expect(await ids("zoë")).toEqual(["p-zoe"]);
    });

    it("matches an email prefix from three characters, and answers without it", async () => {
      expect(await ids("robert.ok")).toEqual(["p-bob"]);
      expect(await ids("ROBERT.OKAFOR@CORP.TEST")).toEqual(["p-bob"]);
      // Two characters are too few to probe an address with.
      expect(await ids("x9")).toEqual([]);
      expect(await ids("x9@")).toEqual(["p-dan"]);
      const found = await store.users.searchPeople({ prefix: "robert", handleOnly: false }, 10);
      expect(found).toEqual([{ id: "p-bob", name: "Bob Okafor", handle: "bobo" }]);
      expect(JSON.stringify(found)).not.toContain("@");
    });

    it('reads a leading "@" as handles only', async () => {
      expect(await ids("@dana")).toEqual(["p-dana1", "p-dana2"]);
      // "rob" is the start of Bob's email, "zo" of Zoë's name: not handles.
      expect(await ids("@robert")).toEqual([]);
      expect(await ids("@zoë")).toEqual([]);
      expect(await ids("@zq")).toEqual(["p-zoe"]);
    });

    it("stops at the limit, in the promised order, and takes no wildcards", async () => {
      expect(await ids("d", 2)).toEqual(["p-dan", "p-dana1"]);
      expect(await ids("%")).toEqual([]);
      expect(await ids("_ana")).toEqual([]);
      expect(await ids("100%")).toEqual(["p-pct"]);
      expect(await store.users.searchPeople({ prefix: "d", handleOnly: false }, 0)).toEqual([]);
    });

    it("agrees with core/people-search on every query of the table", async () => {
      const typed = ["d", "da", "dan", "@d", "dlee", "dle", "corp", "@corp", "real", "@real", "zo"];
      for (const text of typed) {
        const query = parsePeopleQuery(text);
        if (!query) throw new Error(text);
        for (const limit of [1, 3, 10]) {
          expect({ text, limit, ids: await ids(text, limit) }).toEqual({
            text,
            limit,
            ids: expected(query, limit),
          });
        }
      }
    });
  });
}

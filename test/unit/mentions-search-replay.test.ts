import { describe, expect, it } from "vitest";
import { mentionedNames, resolveMentions } from "../../src/core/mentions";
import { fetchRange, missedPages } from "../../src/core/replay";
import { toFtsQuery, toTsQuery } from "../../src/core/search-query";
import type { MessageStore } from "../../src/ports";
import { wireMessage } from "../helpers/fixtures";

describe("mentions", () => {
  it("finds @names, ignoring emails and duplicates", () => {
    expect(mentionedNames("hi @Ann and @bob, also @ann. mail me@example.com")).toEqual([
      "ann",
      "bob",
    ]);
    expect(mentionedNames("no mentions here")).toEqual([]);
  });

  it("resolves handles to member ids, case-insensitively; names are not handles", () => {
    const members = [
      { id: "1", name: "Ann Lee", handle: "ann.lee" },
      { id: "2", name: "Bob", handle: "bob" },
    ];
    expect(resolveMentions("@Ann.Lee @BOB @carol", members)).toEqual(["1", "2"]);
    expect(resolveMentions("@annlee", members)).toEqual([]);
  });
});

describe("toFtsQuery", () => {
  it("quotes each word as a prefix term", () => {
    expect(toFtsQuery("deploy plan")).toBe('"deploy"* "plan"*');
  });

  it("neutralises FTS syntax and returns null when nothing is left", () => {
    expect(toFtsQuery('a" OR (b* NEAR')).toBe('"a"* "OR"* "b"* "NEAR"*');
    expect(toFtsQuery('  "() * ')).toBeNull();
  });
});

describe("toTsQuery", () => {
  it("quotes each word as a prefix lexeme, all required", () => {
    expect(toTsQuery("deploy plan")).toBe("'deploy':* & 'plan':*");
  });

  it("neutralises tsquery syntax and returns null when nothing is left", () => {
    expect(toTsQuery("it's a | (b:* & !c)")).toBe("'it':* & 's':* & 'a':* & 'b':* & 'c':*");
    expect(toTsQuery(" '&|!():* ")).toBeNull();
  });
});

describe("missedPages", () => {
  const store = (count: number, changed: number[] = []) =>
    ({
      after: async (_room: string, afterSeq: number, limit: number, beforeSeq = Infinity) =>
        Array.from({ length: count }, (_, i) => wireMessage(i + 1))
          .filter((m) => m.seq > afterSeq && m.seq < beforeSeq)
          .slice(0, limit),
      changedSince: async (_room: string, afterRev: number, limit: number) =>
        changed
          .filter((rev) => rev > afterRev)
          .slice(0, limit)
          .map((rev) => wireMessage(rev, { rev })),
    }) as unknown as MessageStore;

  const collect = async (iterable: AsyncIterable<{ seq: number }[]>) => {
    const pages: number[][] = [];
    for await (const page of iterable) pages.push(page.map((m) => m.seq));
    return pages;
  };

  it("pages every seq after the client's position up to the subscribe point", async () => {
    const pages = await collect(missedPages(store(25), "r", { afterSeq: 3, untilSeq: 22 }, 10));
    expect(pages).toEqual([
      [4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
      [14, 15, 16, 17, 18, 19, 20, 21, 22],
    ]);
  });

  it("sends nothing when the client is up to date", async () => {
    expect(await collect(missedPages(store(5), "r", { afterSeq: 5, untilSeq: 5 }))).toEqual([]);
  });

  it("then pages the messages changed since the client's revision", async () => {
    const pages = await collect(
      missedPages(store(0, [1, 2, 3, 4, 5]), "r", { afterRev: 2, untilSeq: 0 }, 2),
    );
    expect(pages).toEqual([[3, 4], [5]]);
  });
});

describe("fetchRange", () => {
  it("serves a range within the limit whole", () => {
    expect(fetchRange(10, 20, 100, 50)).toEqual({ untilSeq: 19, more: false });
  });

  it("cuts a longer range at the limit and says more remains", () => {
    expect(fetchRange(0, undefined, 2_000, 1_000)).toEqual({ untilSeq: 1_000, more: true });
    expect(fetchRange(1_000, undefined, 2_000, 1_000)).toEqual({ untilSeq: 2_000, more: false });
    expect(fetchRange(0, 1_500, 2_000, 1_000)).toEqual({ untilSeq: 1_000, more: true });
  });

  it("never reaches past the room's last seq, nor before afterSeq", () => {
    expect(fetchRange(0, Number.MAX_SAFE_INTEGER, 30, 1_000)).toEqual({
      untilSeq: 30,
      more: false,
    });
    expect(fetchRange(50, undefined, 30, 1_000)).toEqual({ untilSeq: 50, more: false });
    expect(fetchRange(5, 3, 30, 1_000)).toEqual({ untilSeq: 5, more: false });
  });
});

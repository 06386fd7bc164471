import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitLinks } from "../../src/client/messages";
import {
  hasLink,
  isEmptySearch,
  parseSearchQuery,
  SEARCH_OPERATORS,
  utcDayStart,
} from "../../src/core/search-query";

const parse = (typed: string) => parseSearchQuery(typed);
const query = (typed: string) => parse(typed).query;
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

describe("parseSearchQuery: words", () => {
  it("keeps words as before: letters and digits, deduplicated, at most 12", () => {
    expect(query("deploy the plan")).toMatchObject({ words: ["deploy", "the", "plan"], from: [] });
    expect(query('"release notes" (draft)').words).toEqual(["release", "notes", "draft"]);
    expect(query("a a b").words).toEqual(["a", "b"]);
    const many = Array.from({ length: 20 }, (_, i) => `w${i}`).join(" ");
    expect(query(`${many} from:ann`)).toMatchObject({ from: ["ann"] });
    expect(query(many).words).toHaveLength(12);
  });

  it("asks for nothing when nothing searchable was typed", () => {
    for (const typed of ["", "   ", '"" ()', "!?"])
      expect(isEmptySearch(query(typed)), typed).toBe(true);
    expect(query("re:").words).toEqual(["re"]);
  });
});

describe("parseSearchQuery: operators", () => {
  it("from: takes a name as it is @mentioned: any case, @ optional, spaces dropped", () => {
    expect(query("from:Ann").from).toEqual(["ann"]);
    expect(query("FROM:@ann").from).toEqual(["ann"]);
    expect(query('from:"Ann Lee" notes')).toMatchObject({ from: ["annlee"], words: ["notes"] });
    expect(query("from:“Ann  Lee”").from).toEqual(["annlee"]);
    expect(query("from:ÉMILE").from).toEqual(["émile"]);
    expect(query("from:ann from:bob from:ANN").from).toEqual(["ann", "bob"]);
    // An unclosed quote runs to the end rather than failing.
    expect(query('deploy from:"Ann Lee').from).toEqual(["annlee"]);
  });

  it("from: takes a handle, with or without its @, in any case: one value for both forms", () => {
    expect(query("from:@carol").from).toEqual(["carol"]);
    expect(query("from:@Dana.Lee from:dana.lee").from).toEqual(["dana.lee"]);
    expect(query("from:@zoe_o-b deploy")).toMatchObject({ from: ["zoe_o-b"], words: ["deploy"] });
  });

  it("in: takes a slug (a # is fine) or a room name, which it slugifies", () => {
    expect(query("in:General").in).toEqual(["general"]);
    expect(query("in:#design--x7k2").in).toEqual(["design--x7k2"]);
    expect(query('in:"Design Team"').in).toEqual(["design-team"]);
    expect(query("in:Café").in).toEqual(["cafe"]);
  });

  it("before: and after: are UTC days; both exclude their day; repeats narrow", () => {
    expect(query("before:2026-03-01").before).toBe(day("2026-03-01"));
    expect(query("after:2026-02-28").after).toBe(day("2026-03-01"));
    expect(query("before:2026-03-01 before:2026-01-15").before).toBe(day("2026-01-15"));
    expect(query("after:2026-01-15 after:2026-03-01").after).toBe(day("2026-03-02"));
    expect(query("After:2028-02-29").after).toBe(day("2028-03-01"));
  });

  it("has:link and is:thread, any case", () => {
    expect(query("has:link")).toMatchObject({ hasLink: true, isThread: false });
    expect(query("HAS:Link is:THREAD")).toMatchObject({ hasLink: true, isThread: true });
  });

  it("combines operators with words in any order", () => {
    expect(query("deploy from:ann in:ops after:2026-01-01 has:link is:thread failed")).toEqual({
      words: ["deploy", "failed"],
      from: ["ann"],
      in: ["ops"],
      before: null,
      after: day("2026-01-02"),
      hasLink: true,
      isThread: true,
    });
  });
});

describe("parseSearchQuery: bad input", () => {
  it("names a malformed date instead of running the search", () => {
    for (const date of ["2026-13-45", "2026-02-30", "2026-02-29", "2026-2-3", "yesterday", ""]) {
      const parsed = parse(`deploy before:${date}`);
      expect(parsed.problems, date).toHaveLength(1);
      expect(parsed.problems[0]).toMatch(/before:YYYY-MM-DD/);
      expect(parsed.query.before).toBeNull();
    }
    expect(parse("after:2026-13-45").problems).toEqual([
      "“after:2026-13-45” is not a date: write after:YYYY-MM-DD, for example after:2026-03-01 (UTC).",
    ]);
  });

  it("names an operator value that means nothing, and an empty name or room", () => {
    expect(parse("has:image").problems).toEqual(["has: takes only link (has:link)."]);
    expect(parse("is:pinned").problems).toEqual(["is: takes only thread (is:thread)."]);
    expect(parse("from: ann").problems).toEqual([
      "from: needs a handle or a name, like from:@ann or from:ann.",
    ]);
    expect(parse('from:""').problems).toEqual([
      "from: needs a handle or a name, like from:@ann or from:ann.",
    ]);
    expect(parse("in:#").problems).toEqual(["in: needs a room, like in:general."]);
    expect(parse("in:!!!").problems).toEqual(["in: needs a room, like in:general."]);
    expect(parse("has:image has:image").problems).toHaveLength(1);
  });

  it("searches an unknown operator as words, and says so", () => {
    const parsed = parse("foo:bar deploy");
    expect(parsed.problems).toEqual([]);
    expect(parsed.query.words).toEqual(["foo", "bar", "deploy"]);
    expect(parsed.notes).toEqual([
      "foo: is not a search operator, so “foo:bar” was searched as words.",
    ]);
    // Ordinary text with a colon is no typo.
    expect(parse("re: meeting at 10:30").notes).toEqual([]);
    expect(parse("https://example.com/deploy").notes).toEqual([]);
    expect(query("https://example.com/deploy").words).toEqual([
      "https",
      "example",
      "com",
      "deploy",
    ]);
  });

  it("never throws, and never yields more than 12 words", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200, unit: "grapheme" }), (typed) => {
        const parsed = parseSearchQuery(typed);
        expect(parsed.query.words.length).toBeLessThanOrEqual(12);
        for (const word of parsed.query.words) expect(word).toMatch(/^[\p{L}\p{N}_]+$/u);
      }),
    );
  });

  it("utcDayStart accepts only real calendar days", () => {
    expect(utcDayStart("2026-12-31")).toBe(day("2026-12-31"));
    expect(utcDayStart("2026-00-10")).toBeNull();
    expect(utcDayStart("2026-04-31")).toBeNull();
    expect(utcDayStart(" 2026-04-01")).toBeNull();
  });
});

describe("the search help", () => {
  it("lists every operator with an example that parses cleanly", () => {
    const keys = SEARCH_OPERATORS.map(({ example }) => example.split(":")[0]);
    expect(keys).toEqual(["from", "in", "before", "after", "has", "is"]);
    for (const { example } of SEARCH_OPERATORS) {
      const parsed = parse(example);
      expect(parsed.problems, example).toEqual([]);
      expect(parsed.notes, example).toEqual([]);
      expect(isEmptySearch(parsed.query), example).toBe(false);
      expect(parsed.query.words, example).toEqual([]);
    }
  });
});

describe("hasLink", () => {
  it("agrees with what the message view turns into a link", () => {
    const pieces = [
      "http",
      "https",
      "HTTP",
      "://",
      ":/",
      "x",
      "a.b",
      " ",
      "\n",
      "(",
      ")",
      ".",
      '"',
      "<",
      "mailto:",
      "_",
      "é",
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }), (parts) => {
        const text = parts.join("");
        expect(hasLink(text)).toBe(splitLinks(text).some((part) => part.kind === "link"));
      }),
      { numRuns: 2000 },
    );
    expect(hasLink("see https://example.com")).toBe(true);
    expect(hasLink("xhttps://glued.example")).toBe(false);
    expect(hasLink("mailto:ann@example.com")).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import {
  EMAIL_PREFIX_MIN,
  parsePeopleQuery,
  personLabel,
  personMatches,
} from "../../src/core/people-search";

describe("people picker queries", () => {
  it.each([
    ["dana", { prefix: "dana", handleOnly: false }],
    ["  DaNa Lee ", { prefix: "dana lee", handleOnly: false }],
    ["@Dana", { prefix: "dana", handleOnly: true }],
    ["@ dana", { prefix: "dana", handleOnly: true }],
    // NFKC: a full-width letter is the letter.
    ["ｄａｎａ", { prefix: "dana", handleOnly: false }],
  ])("reads %j", (typed, query) => {
    expect(parsePeopleQuery(typed)).toEqual(query);
  });

  it.each(["", "   ", "@", " @ "])("finds nothing to search in %j", (typed) => {
    expect(parsePeopleQuery(typed)).toBeNull();
  });
});

describe("whom a query matches", () => {
  const dana = { name: "Dana Lee", handle: "dlee", email: "dana.lee@corp.test" };
  const match = (typed: string, person: Parameters<typeof personMatches>[0] = dana) => {
    const query = parsePeopleQuery(typed);
    if (!query) throw new Error("empty query");
    return personMatches(person, query);
  };

  it("matches handle, name and email prefixes, case-insensitively", () => {
    expect(match("DL")).toBe(true);
    expect(match("dana l")).toBe(true);
    expect(match("dana.lee@")).toBe(true);
    expect(match("lee")).toBe(false);
    expect(match("corp")).toBe(false);
  });

  it("matches an email only from EMAIL_PREFIX_MIN characters", () => {
    const person = { name: "Bob", handle: "bob", email: "xy-bob@corp.test" };
    expect(match("xy", person)).toBe(false);
    expect(match("xy-".slice(0, EMAIL_PREFIX_MIN), person)).toBe(true);
  });

  it('reads "@" as handles only', () => {
    expect(match("@dl")).toBe(true);
    expect(match("@dana")).toBe(false);
  });

  it("matches a person without handle or email by name alone", () => {
    expect(match("an", { name: "Ann" })).toBe(true);
    expect(match("@an", { name: "Ann", handle: null, email: null })).toBe(false);
  });
});

describe("how a person is written", () => {
  it("names an option by name and handle, as mention suggestions do", () => {
    expect(personLabel({ id: "1", name: "Dana Lee", handle: "dlee" })).toBe("Dana Lee @dlee");
    expect(personLabel({ id: "1", name: "Dana Lee" })).toBe("Dana Lee");
  });
});

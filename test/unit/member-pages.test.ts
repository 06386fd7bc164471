import { describe, expect, it } from "vitest";
import { createMemberPages } from "../../src/server/ws/member-pages.server";

// Issue 16: which pages of a large room's list each socket holds.
describe("member pages", () => {
  const [a, b, c] = [{ n: "a" }, { n: "b" }, { n: "c" }];

  it("has no filter for a room not read as large", () => {
    const pages = createMemberPages<object>();
    pages.sent(a, "r", ["u1"], true);
    expect(pages.known(a, "r")).toBeUndefined();
    pages.sized("r", false);
    expect(pages.known(a, "r")).toBeUndefined();
  });

  it("shares one set per page, adds further pages, and resets on a first page", () => {
    const pages = createMemberPages<object>();
    pages.sized("big", true);
    pages.sent(a, "big", ["u1", "u2"], true);
    pages.sent(b, "big", ["u1", "u2"], true);
    const [held] = pages.known(a, "big") ?? [];
    expect(held && [...held]).toEqual(["u1", "u2"]);
    expect(pages.known(b, "big")?.[0]).toBe(held);
    pages.sent(a, "big", ["u3"], false);
    pages.sent(a, "big", ["u3"], false); // the same page again adds nothing
    expect(pages.known(a, "big")?.map((p) => [...p])).toEqual([["u1", "u2"], ["u3"]]);
    pages.sent(a, "big", ["u1", "u2"], true);
    expect(pages.known(a, "big")).toEqual([held]);
  });

  it("a socket that never asked for a large room's list holds nobody of it", () => {
    const pages = createMemberPages<object>();
    pages.sized("big", true);
    expect(pages.known(c, "big")).toEqual([]);
  });

  it("a list published to the room resets every socket to that page", () => {
    const pages = createMemberPages<object>();
    pages.sized("big", true);
    pages.sent(a, "big", ["u1"], true);
    pages.sent(a, "big", ["u9"], false);
    pages.sentToAll([a, b], "big", ["u0", "u1"]);
    expect(pages.known(a, "big")?.map((p) => [...p])).toEqual([["u0", "u1"]]);
    expect(pages.known(b, "big")).toEqual(pages.known(a, "big"));
  });
});

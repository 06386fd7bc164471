import { describe, expect, it } from "vitest";
import {
  MAX_SUGGESTIONS,
  mentionOptions,
  mentionQueryAt,
  pickMention,
} from "../../src/client/mention-suggest";

const members = [
  { id: "me", name: "Ann Lee", handle: "ann" },
  { id: "b", name: "Bob Okafor", handle: "bob.okafor" },
  { id: "c", name: "Carol Baker", handle: "cbaker" },
  { id: "d", name: "Dana", handle: "dana" },
];

describe("mentionQueryAt", () => {
  it("finds the @word the caret ends", () => {
    expect(mentionQueryAt("hi @bo", 6)).toEqual({ start: 3, query: "bo" });
    expect(mentionQueryAt("@", 1)).toEqual({ start: 0, query: "" });
    expect(mentionQueryAt("(@da", 4)).toEqual({ start: 1, query: "da" });
  });

  it("is null after a space, for an email, or with no @", () => {
    expect(mentionQueryAt("hi @bob ", 8)).toBeNull();
    expect(mentionQueryAt("mail bob@exa", 12)).toBeNull();
    expect(mentionQueryAt("hello", 5)).toBeNull();
  });
});

describe("mentionOptions", () => {
  it("matches handles first, then words of names, then room-wide ones; never the author", () => {
    expect(mentionOptions("b", members, "me").map((o) => o.label)).toEqual([
      "Bob Okafor @bob.okafor",
      "Carol Baker @cbaker",
    ]);
    expect(mentionOptions("", members, "me").map((o) => o.handle)).toEqual([
      "bob.okafor",
      "cbaker",
      "dana",
      "here",
      "channel",
      "all",
    ]);
    expect(mentionOptions("HE", members, "me").map((o) => o.label)).toEqual([
      "Everyone online @here",
    ]);
    expect(mentionOptions("zz", members, "me")).toEqual([]);
  });

  it("offers at most MAX_SUGGESTIONS", () => {
    const many = Array.from({ length: 20 }, (_, i) => ({
      id: `${i}`,
      name: `P ${i}`,
      handle: `p${i}`,
    }));
    expect(mentionOptions("p", many)).toHaveLength(MAX_SUGGESTIONS);
  });
});

describe("pickMention", () => {
  it("replaces the @query with the handle and a space, caret after it", () => {
    expect(pickMention("hi @bo there", 3, 6, "bob.okafor")).toEqual({
      text: "hi @bob.okafor there",
      caret: 15,
    });
    expect(pickMention("@d", 0, 2, "dana")).toEqual({ text: "@dana ", caret: 6 });
  });
});

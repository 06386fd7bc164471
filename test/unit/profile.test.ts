import { describe, expect, it } from "vitest";
import { renameMentions } from "../../src/core/handle-rename";
import { checkProfile, profileChangedEffects } from "../../src/core/profile";
import { isHandleTaken } from "../../src/server/storage/profile-store.server";

describe("checkProfile (the Profile dialog's rules: sign-up's)", () => {
  it("answers both fields in stored form", () => {
    expect(checkProfile({ name: "  Dana   Lee ", handle: " @Dana.Lee " })).toEqual({
      ok: true,
      name: "Dana Lee",
      handle: "dana.lee",
    });
  });

  it("names the field at fault and the rule, the name first", () => {
    expect(checkProfile({ name: "", handle: "x" })).toEqual({
      ok: false,
      field: "name",
      error: "Enter a name.",
    });
    expect(checkProfile({ name: "Dana", handle: "d" })).toMatchObject({
      ok: false,
      field: "handle",
      error: "Handles are 2 to 32 characters.",
    });
    expect(checkProfile({ name: "Dana", handle: "dana lee" })).toMatchObject({
      field: "handle",
      error: expect.stringMatching(/only letters a-z/),
    });
    expect(checkProfile({ name: "Dana", handle: "x".repeat(33) })).toMatchObject({
      field: "handle",
    });
    expect(checkProfile({ name: "Dana", handle: "._" })).toMatchObject({
      error: "Handles need at least one letter or digit.",
    });
    expect(checkProfile({ name: "Dana", handle: 7 })).toMatchObject({ error: "Handles are text." });
  });
});

describe("renameMentions (old mentions follow a handle change)", () => {
  it("rewrites every @old in any case, keeping punctuation", () => {
    expect(renameMentions("hi @Dana, @dana. (@DANA)", "dana", "dee")).toBe("hi @dee, @dee. (@dee)");
  });

  it("leaves longer handles, emails and other mentions alone", () => {
    const text = "@danielle and dana@example.com and @bob and @dana.lee";
    expect(renameMentions(text, "dana", "dee")).toBe(text);
    expect(renameMentions("ping @dana.lee!", "dana.lee", "dl")).toBe("ping @dl!");
  });

  it("leaves a text without the handle as it was", () => {
    expect(renameMentions("no mentions here", "dana", "dee")).toBe("no mentions here");
  });
});

describe("profileChangedEffects", () => {
  it("sends each of the user's rooms its member list again", () => {
    expect(profileChangedEffects(["a", "b"])).toEqual([
      { kind: "members", roomId: "a" },
      { kind: "members", roomId: "b" },
    ]);
    expect(profileChangedEffects([])).toEqual([]);
  });
});

describe("isHandleTaken (the unique index refused a racing change)", () => {
  it("knows PostgreSQL's and SQLite's refusals of user_handle_unique only", () => {
    expect(isHandleTaken({ code: "23505", constraint: "user_handle_unique" })).toBe(true);
    expect(isHandleTaken({ code: "23505", constraint: "user_email_key" })).toBe(false);
    expect(isHandleTaken(new Error("UNIQUE constraint failed: index 'user_handle_unique'"))).toBe(
      true,
    );
    expect(isHandleTaken(new Error("UNIQUE constraint failed: user.email"))).toBe(false);
    expect(isHandleTaken(undefined)).toBe(false);
  });
});

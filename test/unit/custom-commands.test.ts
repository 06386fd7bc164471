import { describe, expect, it } from "vitest";
import {
  checkCommandInput,
  commandAnswer,
  commandInfo,
  commandRequestBody,
  unreachableAnswer,
} from "../../src/core/custom-commands";
import { MAX_MESSAGE_CHARS } from "../../src/protocol/frames";

const good = {
  name: "/Deploy",
  description: "Deploy a branch",
  url: "https://ci.example.com/slash",
  response: "room",
};

describe("checkCommandInput", () => {
  it("takes a name without its slash, lowercased, and a normalised URL", () => {
    expect(checkCommandInput(good)).toEqual({
      ok: true,
      value: {
        name: "deploy",
        description: "Deploy a branch",
        url: "https://ci.example.com/slash",
        response: "room",
      },
    });
  });

  it("refuses each bad field with a sentence", () => {
    const refused = (patch: Record<string, unknown>) => {
      const checked = checkCommandInput({ ...good, ...patch });
      if (checked.ok) throw new Error(`accepted ${JSON.stringify(patch)}`);
      return checked.error;
    };
    expect(refused({ name: "" })).toMatch(/Enter a command name/);
    expect(refused({ name: "/" })).toMatch(/Enter a command name/);
    expect(refused({ name: "3d" })).toMatch(/starts with a letter/);
    expect(refused({ name: "de ploy" })).toMatch(/lowercase letters/);
    expect(refused({ name: "x".repeat(33) })).toMatch(/up to 32/);
    expect(refused({ name: "/help" })).toBe("/help is a built-in command.");
    expect(refused({ name: "ME" })).toBe("/me is a built-in command.");
    expect(refused({ description: "  " })).toMatch(/Enter a description/);
    expect(refused({ description: "x".repeat(121) })).toMatch(/at most 120/);
    expect(refused({ description: "two\nlines" })).toMatch(/one line/);
    expect(refused({ url: "ftp://example.com/x" })).toMatch(/http:\/\/ or https:\/\//);
    expect(refused({ url: "not a url" })).toMatch(/Enter a target URL/);
    expect(refused({ url: "https://user:pw@example.com/" })).toMatch(/user name or password/);
    expect(refused({ response: "everyone" })).toBe("Choose where the answer goes.");
    expect(refused({ name: 42 })).toMatch(/Enter a command name/);
  });
});

describe("commandAnswer", () => {
  it("reads Slack's {text} and plain text, trimmed", () => {
    expect(commandAnswer("x", 200, '{"text":" Deployed main "}')).toEqual({
      kind: "text",
      text: "Deployed main",
    });
    expect(commandAnswer("x", 201, "All green\n")).toEqual({ kind: "text", text: "All green" });
    expect(commandAnswer("x", 200, "{not json")).toEqual({ kind: "text", text: "{not json" });
  });

  it("says nothing for an empty answer", () => {
    expect(commandAnswer("x", 200, "")).toEqual({ kind: "silent" });
    expect(commandAnswer("x", 204, "")).toEqual({ kind: "silent" });
    expect(commandAnswer("x", 200, "{}")).toEqual({ kind: "silent" });
    expect(commandAnswer("x", 200, '{"text":""}')).toEqual({ kind: "silent" });
  });

  it("turns every failure into words for the user", () => {
    expect(commandAnswer("deploy", 500, "boom")).toEqual({
      kind: "failed",
      error: "/deploy failed: its service answered HTTP 500.",
    });
    expect(commandAnswer("deploy", 302, "")).toMatchObject({ kind: "failed" });
    expect(commandAnswer("deploy", 200, '{"text": 5}')).toMatchObject({
      kind: "failed",
      error: expect.stringContaining('without a "text" string'),
    });
    expect(commandAnswer("deploy", 200, "[1,2]")).toMatchObject({ kind: "failed" });
    expect(commandAnswer("deploy", 200, "x".repeat(MAX_MESSAGE_CHARS + 1))).toMatchObject({
      kind: "failed",
      error: expect.stringContaining(`over ${MAX_MESSAGE_CHARS} characters`),
    });
    expect(commandAnswer("deploy", 200, "bell\u0007")).toMatchObject({
      kind: "failed",
      error: expect.stringContaining("control characters"),
    });
  });

  it("words an unreachable service by its reason", () => {
    expect(unreachableAnswer("deploy", { reason: "timed out after 5000 ms", timedOut: true })).toBe(
      "/deploy failed: its service did not answer in time.",
    );
    expect(unreachableAnswer("deploy", { reason: "connect ECONNREFUSED 127.0.0.1:9" })).toBe(
      "/deploy failed: its service could not be reached (connect ECONNREFUSED 127.0.0.1:9).",
    );
  });
});

describe("the request and the composer's line", () => {
  it("sends the command, its text, the user and the room", () => {
    const body = JSON.parse(
      commandRequestBody(
        "deploy",
        "main now",
        { id: "u1", name: "Olive", handle: "olive" },
        { id: "r1", slug: "ops", name: "Ops" },
        1_700_000_000_000,
      ),
    );
    expect(body).toEqual({
      command: "/deploy",
      text: "main now",
      user: { id: "u1", name: "Olive", handle: "olive" },
      room: { id: "r1", slug: "ops", name: "Ops" },
      issuedAt: 1_700_000_000_000,
    });
  });

  it("offers a custom command like a built-in", () => {
    expect(commandInfo({ name: "deploy", description: "Deploy a branch" })).toEqual({
      name: "deploy",
      usage: "/deploy [text]",
      description: "Deploy a branch",
    });
  });
});

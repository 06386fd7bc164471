import { describe, expect, it } from "vitest";
import {
  actionText,
  BUILT_IN_COMMANDS,
  builtInArgsIssue,
  commandQuery,
  filterCommands,
  helpText,
  inviteHandle,
  parseCommand,
  unknownCommand,
} from "../../src/core/commands";

describe("parseCommand", () => {
  it("reads a name and its arguments", () => {
    expect(parseCommand("/invite @dana.lee")).toEqual({
      kind: "command",
      name: "invite",
      args: "@dana.lee",
    });
    expect(parseCommand("/LEAVE")).toEqual({ kind: "command", name: "leave", args: "" });
    expect(parseCommand("/me  waves  ")).toEqual({ kind: "command", name: "me", args: "waves" });
    expect(parseCommand("/topic line one\nline two")).toEqual({
      kind: "command",
      name: "topic",
      args: "line one\nline two",
    });
  });

  it("sends //text as the literal /text", () => {
    expect(parseCommand("//shrug")).toEqual({ kind: "message", text: "/shrug" });
    expect(parseCommand("//")).toEqual({ kind: "message", text: "/" });
  });

  it("leaves ordinary text alone", () => {
    for (const text of ["hello", "/ spaced", "/3 apples", "a /me b", "/", "/é"]) {
      expect(parseCommand(text)).toEqual({ kind: "message", text });
    }
  });

  it("names an unknown command with the way to the list", () => {
    expect(unknownCommand("x")).toBe("Unknown command /x. Type /help for the list.");
  });
});

describe("built-in arguments", () => {
  it("asks for what is missing and refuses extras", () => {
    expect(builtInArgsIssue("me", "")).toBe("Usage: /me <text>");
    expect(builtInArgsIssue("me", "waves")).toBeNull();
    expect(builtInArgsIssue("topic", "")).toBe("Usage: /topic <text>");
    expect(builtInArgsIssue("invite", "")).toBe("Usage: /invite @name");
    expect(builtInArgsIssue("invite", "@a b")).toBe("Usage: /invite @name");
    expect(builtInArgsIssue("invite", "@dana")).toBeNull();
    expect(builtInArgsIssue("leave", "now")).toBe("/leave takes no arguments.");
    expect(builtInArgsIssue("help", "")).toBeNull();
  });

  it("takes a handle with or without @", () => {
    expect(inviteHandle("@Dana.Lee")).toBe("dana.lee");
    expect(inviteHandle("sam")).toBe("sam");
    expect(inviteHandle("@")).toBeNull();
  });
});

describe("actions", () => {
  it("recognises the stored /me convention only with text", () => {
    expect(actionText("/me waves")).toBe("waves");
    expect(actionText("/me ")).toBeNull();
    expect(actionText("/mere")).toBeNull();
    expect(actionText("hello /me x")).toBeNull();
  });
});

describe("the listbox", () => {
  it("opens on / and a name being typed, closes at a space", () => {
    expect(commandQuery("/")).toBe("");
    expect(commandQuery("/To")).toBe("to");
    expect(commandQuery("/topic ")).toBeNull();
    expect(commandQuery("hi /")).toBeNull();
  });

  it("filters by the start of the name", () => {
    const custom = [{ name: "deploy", usage: "/deploy", description: "Ship it" }];
    const all = [...BUILT_IN_COMMANDS, ...custom];
    expect(filterCommands("", all).length).toBe(all.length);
    expect(filterCommands("m", all).map((c) => c.name)).toEqual(["me", "mute"]);
    expect(filterCommands("de", all).map((c) => c.name)).toEqual(["deploy"]);
    expect(filterCommands("zz", all)).toEqual([]);
  });

  it("lists every command in /help", () => {
    const text = helpText(BUILT_IN_COMMANDS);
    for (const c of BUILT_IN_COMMANDS) expect(text).toContain(c.usage);
    expect(text).toContain("//");
  });
});

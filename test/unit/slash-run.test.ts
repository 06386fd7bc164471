import { describe, expect, it } from "vitest";
import { ActionRefused } from "../../src/client/chat-client";
import { type CommandContext, runCommand } from "../../src/client/slash-run";
import { BUILT_IN_COMMANDS } from "../../src/core/commands";

/** A context whose client records calls and refuses with `refuse` (a pure unit: no socket). */
function context(refuse?: ActionRefused) {
  const calls: unknown[][] = [];
  const notices: string[] = [];
  const answer = (...args: unknown[]) => {
    calls.push(args);
    return refuse ? Promise.reject(refuse) : Promise.resolve();
  };
  const client = {
    send: (...args: unknown[]) => {
      calls.push(["send", ...args]);
      return Object.assign(Promise.resolve(), { clientId: "c" });
    },
    roomSettings: (...args: unknown[]) => answer("roomSettings", ...args),
    inviteByHandle: (...args: unknown[]) => answer("inviteByHandle", ...args),
    roomNotify: () => ({ level: null, muted: false }),
    setRoomNotify: (...args: unknown[]) => answer("setRoomNotify", ...args),
  } as unknown as CommandContext["client"];
  const ctx: CommandContext = {
    client,
    roomId: "r1",
    leave: async () => (refuse ? "You can't leave general." : null),
    commands: BUILT_IN_COMMANDS,
    notice: (text) => notices.push(text),
  };
  return { ctx, calls, notices };
}

describe("runCommand", () => {
  it("runs each built-in through the client's own methods", async () => {
    const { ctx, calls, notices } = context();
    await runCommand("me", "waves", ctx);
    await runCommand("topic", "Deploys", ctx);
    await runCommand("invite", "@Dana", ctx);
    await runCommand("mute", "", ctx);
    expect(calls).toEqual([
      ["send", "r1", "/me waves"],
      ["roomSettings", "r1", { topic: "Deploys" }],
      ["inviteByHandle", "r1", "dana"],
      ["setRoomNotify", "r1", { level: null, muted: true }],
    ]);
    expect(notices).toEqual([
      "Topic set to “Deploys”.",
      "Invited @dana.",
      "This room's notifications are muted. Use the bell to unmute.",
    ]);
  });

  it("shows refusals, usage and unknown names to the user, sending nothing", async () => {
    const { ctx, calls, notices } = context(new ActionRefused("forbidden", "not a moderator"));
    await runCommand("topic", "x", ctx);
    await runCommand("invite", "@sam", ctx);
    await runCommand("leave", "", ctx);
    await runCommand("me", "", ctx);
    await runCommand("deploy", "now", ctx);
    expect(notices[0]).toBe("Only moderators can change the topic.");
    expect(notices[1]).toBe("Not a moderator");
    expect(notices.slice(2)).toEqual([
      "You can't leave general.",
      "Usage: /me <text>",
      "Unknown command /deploy. Type /help for the list.",
    ]);
    expect(calls.some((c) => c[0] === "send")).toBe(false);
  });

  it("hands any other name to the server's custom commands and shows their answer", async () => {
    const { ctx, calls, notices } = context();
    const ran: [string, string][] = [];
    ctx.runCustom = async (name, args) => {
      ran.push([name, args]);
      return name === "quiet" ? null : `answer to ${args}`;
    };
    await runCommand("deploy", "staging now", ctx);
    await runCommand("quiet", "", ctx);
    expect(ran).toEqual([
      ["deploy", "staging now"],
      ["quiet", ""],
    ]);
    // The answer for this user alone; a silent one shows nothing; no send from the tab.
    expect(notices).toEqual(["answer to staging now"]);
    expect(calls).toEqual([]);
    // A built-in's name never reaches the server, even with runCustom set.
    await runCommand("mute", "", ctx);
    expect(ran).toHaveLength(2);
  });
});

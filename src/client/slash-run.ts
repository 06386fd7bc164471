import {
  BUILT_IN_COMMANDS,
  builtInArgsIssue,
  type CommandInfo,
  helpText,
  inviteHandle,
  ME_PREFIX,
  unknownCommand,
} from "../core/commands";
import { ActionRefused, type ChatClient } from "./chat-client";
import { inviteRefusal, refusalOf } from "./room-actions";

/** What running a command may touch; `notice` shows a line to this tab alone. */
export type CommandContext = {
  client: Pick<
    ChatClient,
    "send" | "roomSettings" | "inviteByHandle" | "roomNotify" | "setRoomNotify"
  >;
  roomId: string;
  /** Leaves the room and moves away; resolves with why not, or null once left. */
  leave: () => Promise<string | null>;
  /** Every command offered (built-ins and the server's custom ones), for /help and lookups. */
  commands: readonly CommandInfo[];
  /** Runs a custom command on the server; resolves with a line for the user, or null. */
  runCustom?: (name: string, args: string) => Promise<string | null>;
  notice: (text: string) => void;
};

const BUILT_IN = new Set(BUILT_IN_COMMANDS.map((c) => c.name));

/**
 * Runs `/name args` with the client's own methods (the same frames the UI
 * sends from its buttons). Every outcome that is not a message in the room
 * (a usage hint, a refusal, /help) goes to `notice`: only this tab sees it.
 */
export async function runCommand(name: string, args: string, ctx: CommandContext): Promise<void> {
  if (!BUILT_IN.has(name)) {
    // The server decides what a custom name means: one registered since
    // this page loaded its list runs too, and an unknown one is its answer.
    if (ctx.runCustom) {
      const said = await ctx.runCustom(name, args);
      if (said) ctx.notice(said);
    } else ctx.notice(unknownCommand(name));
    return;
  }
  const issue = builtInArgsIssue(name, args);
  if (issue) return ctx.notice(issue);
  const { client, roomId } = ctx;
  try {
    switch (name) {
      case "me":
        // Stored as "/me text", which MessageText shows as "*name text*".
        // Not awaited: it queues in the outbox like any send, and a refused
        // one shows as failed in the log with its retry.
        client.send(roomId, `${ME_PREFIX}${args}`).catch(() => undefined);
        return;
      case "topic":
        await client.roomSettings(roomId, { topic: args });
        ctx.notice(`Topic set to “${args}”.`);
        return;
      case "invite": {
        const handle = inviteHandle(args) ?? "";
        await client.inviteByHandle(roomId, handle);
        ctx.notice(`Invited @${handle}.`);
        return;
      }
      case "leave": {
        const why = await ctx.leave();
        if (why) ctx.notice(why);
        return;
      }
      case "mute":
        await client.setRoomNotify(roomId, { ...client.roomNotify(roomId), muted: true });
        ctx.notice("This room's notifications are muted. Use the bell to unmute.");
        return;
      default:
        ctx.notice(helpText(ctx.commands));
    }
  } catch (error) {
    ctx.notice(refusalFor(name, error));
  }
}

/** The user's words for a built-in's refusal. */
function refusalFor(name: string, error: unknown): string {
  if (name === "topic" && error instanceof ActionRefused && error.code === "forbidden") {
    return "Only moderators can change the topic.";
  }
  if (name === "invite") return inviteRefusal(error);
  return refusalOf(error);
}

/**
 * Custom slash commands (issue 15), the pure rules: what an admin's form
 * may hold, what Parley POSTs to the command's URL, and what the answer
 * means. The server side (server/commands) stores, signs, sends and posts.
 *
 * A command is `/name args` typed in a room. Parley POSTs a signed JSON
 * body (the outgoing webhooks' signature: server/webhooks/signature) to its
 * URL and waits for the answer; the answer's text goes either to the user
 * alone (a notice in their tab) or into the room, as a message of the user
 * who ran it, shown "<name> via /<command>".
 */
import { MAX_MESSAGE_CHARS, messageTextIssue } from "../protocol/frames";
import { BUILT_IN_COMMANDS, COMMAND_NAME, type CommandInfo } from "./commands";
import { checkTargetUrl } from "./outgoing-webhooks";

export const COMMAND_RESPONSES = ["ephemeral", "room"] as const;
export type CommandResponse = (typeof COMMAND_RESPONSES)[number];

export const COMMAND_DESCRIPTION_MAX = 120;

export type CommandInput = {
  name: string;
  description: string;
  url: string;
  response: CommandResponse;
};
export type CommandCheck = { ok: true; value: CommandInput } | { ok: false; error: string };

const BUILT_IN = new Set(BUILT_IN_COMMANDS.map((c) => c.name));

/**
 * Validates a new command: a name (a leading `/` and case forgiven) that no
 * built-in has, a one-line description, an http(s) URL without
 * credentials, and where the answer goes.
 */
export function checkCommandInput(input: {
  name: unknown;
  description: unknown;
  url: unknown;
  response: unknown;
}): CommandCheck {
  const raw = typeof input.name === "string" ? input.name.trim() : "";
  const name = raw.replace(/^\//, "").toLowerCase();
  if (name === "") return { ok: false, error: "Enter a command name, such as deploy." };
  if (!COMMAND_NAME.test(name)) {
    return {
      ok: false,
      error:
        "A command name is up to 32 lowercase letters, digits, _ or -, and starts with a letter.",
    };
  }
  if (BUILT_IN.has(name)) return { ok: false, error: `/${name} is a built-in command.` };
  const description = typeof input.description === "string" ? input.description.trim() : "";
  if (description === "") return { ok: false, error: "Enter a description: one line of help." };
  if (description.length > COMMAND_DESCRIPTION_MAX || /[\r\n]/.test(description)) {
    return {
      ok: false,
      error: `A description is one line of at most ${COMMAND_DESCRIPTION_MAX} characters.`,
    };
  }
  const url = checkTargetUrl(input.url);
  if (typeof url === "string") return { ok: false, error: url };
  const response = COMMAND_RESPONSES.find((r) => r === input.response);
  if (!response) return { ok: false, error: "Choose where the answer goes." };
  return { ok: true, value: { name, description, url: url.href, response } };
}

/** The composer's line for a custom command (the listbox and /help). */
export function commandInfo(command: { name: string; description: string }): CommandInfo {
  return { name: command.name, usage: `/${command.name} [text]`, description: command.description };
}

/** What the command's URL receives (docs/ARCHITECTURE.md "Slash commands"). */
export type CommandRequest = {
  command: string;
  text: string;
  user: { id: string; name: string; handle?: string };
  room: { id: string; slug: string; name: string };
  issuedAt: number;
};

/** The JSON body of the POST: `text` is what followed the command's name. */
export function commandRequestBody(
  name: string,
  args: string,
  user: CommandRequest["user"],
  room: CommandRequest["room"],
  issuedAt: number,
): string {
  const body: CommandRequest = {
    command: `/${name}`,
    text: args,
    user: { id: user.id, name: user.name, ...(user.handle ? { handle: user.handle } : {}) },
    room: { id: room.id, slug: room.slug, name: room.name },
    issuedAt,
  };
  return JSON.stringify(body);
}

/**
 * What the service's answer means: a 2xx with `{"text": ...}` (Slack's
 * shape) or a plain-text body is the text to show; an empty one says
 * nothing; anything else is a failure, in words for the user who ran it.
 */
export type CommandAnswer =
  | { kind: "text"; text: string }
  | { kind: "silent" }
  | { kind: "failed"; error: string };

export function commandAnswer(name: string, status: number, body: string): CommandAnswer {
  if (status < 200 || status > 299) {
    return { kind: "failed", error: `/${name} failed: its service answered HTTP ${status}.` };
  }
  const text = answerText(body);
  if (text === null) {
    return {
      kind: "failed",
      error: `/${name} failed: its service answered JSON without a "text" string.`,
    };
  }
  if (text === "") return { kind: "silent" };
  const issue = messageTextIssue(text);
  if (issue === "too_large") {
    return {
      kind: "failed",
      error: `/${name} failed: its answer is over ${MAX_MESSAGE_CHARS} characters.`,
    };
  }
  if (issue === "control") {
    return { kind: "failed", error: `/${name} failed: its answer holds control characters.` };
  }
  return { kind: "text", text };
}

/** The trimmed text of a JSON `{text}` or a plain body; null for JSON without one. */
function answerText(body: string): string | null {
  const trimmed = body.trim();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return trimmed;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return trimmed; // not JSON after all: plain text that starts with a brace
  }
  if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
    const text = (parsed as { text?: unknown }).text;
    if (typeof text === "string") return text.trim();
    if (text === undefined && Object.keys(parsed).length === 0) return "";
  }
  return null;
}

/** The words for a service that could not be reached: it timed out, or why not. */
export function unreachableAnswer(
  name: string,
  failure: { reason: string; timedOut?: boolean },
): string {
  if (failure.timedOut) return `/${name} failed: its service did not answer in time.`;
  return `/${name} failed: its service could not be reached (${failure.reason}).`;
}

/**
 * Slash commands as pure rules (issue 15): what a composer text starting
 * with `/` means, the built-in commands' names and help, the listbox's
 * filter, and the stored-text convention for `/me` action messages.
 */

/** A command the composer offers: its name without the slash, and one line of help. */
export type CommandInfo = { name: string; usage: string; description: string };

/** The built-ins, in the order /help and the listbox show them. */
export const BUILT_IN_COMMANDS: readonly CommandInfo[] = [
  { name: "me", usage: "/me <text>", description: "Say what you are doing, as an action" },
  { name: "topic", usage: "/topic <text>", description: "Set the room's topic (moderators)" },
  { name: "invite", usage: "/invite @name", description: "Invite someone to this room" },
  { name: "leave", usage: "/leave", description: "Leave this room" },
  { name: "mute", usage: "/mute", description: "Mute this room's notifications" },
  { name: "help", usage: "/help", description: "List the commands (only you see it)" },
];

/** A command name: lowercase letters, digits, `_` and `-`, starting with a letter. */
export const COMMAND_NAME = /^[a-z][a-z0-9_-]{0,31}$/;

/** What a composer text is. */
export type Parsed =
  /** Not a command: sent as it is (`text`: a `//x` escape already unwrapped to `/x`). */
  | { kind: "message"; text: string }
  /** `/name args`: `name` lowercased, `args` trimmed (may be empty). */
  | { kind: "command"; name: string; args: string };

/**
 * `/name rest` is a command; `//rest` is the literal message `/rest`; any
 * other text (one not starting with `/`, or `/` followed by a space or
 * nothing a name can start with, like "/ shrug" or "/3") is a message.
 */
export function parseCommand(text: string): Parsed {
  if (text.startsWith("//")) return { kind: "message", text: text.slice(1) };
  const match = /^\/([A-Za-z][A-Za-z0-9_-]*)(?:\s+([\s\S]*))?$/.exec(text);
  if (!match?.[1]) return { kind: "message", text };
  return { kind: "command", name: match[1].toLowerCase(), args: (match[2] ?? "").trim() };
}

/** The answer to an unknown name, shown to the user alone. */
export const unknownCommand = (name: string) =>
  `Unknown command /${name}. Type /help for the list.`;

/** Why a built-in's arguments are refused, or null when they do. */
export function builtInArgsIssue(name: string, args: string): string | null {
  switch (name) {
    case "me":
      return args === "" ? "Usage: /me <text>" : null;
    case "topic":
      return args === "" ? "Usage: /topic <text>" : null;
    case "invite":
      return inviteHandle(args) === null ? "Usage: /invite @name" : null;
    case "leave":
    case "mute":
    case "help":
      return args === "" ? null : `/${name} takes no arguments.`;
    default:
      return null;
  }
}

/** The handle `/invite` names (`@dana.lee` or `dana.lee`, lowercased), or null. */
export function inviteHandle(args: string): string | null {
  const match = /^@?([\p{L}\p{N}_.-]+)$/u.exec(args);
  return match?.[1] ? match[1].toLowerCase() : null;
}

/**
 * `/me` is stored as the text "/me <text>" (as IRC clients send an action):
 * no new frame or column, search finds its words, and the renderer shows
 * "*name text*". Null when the text is not an action.
 */
export const ME_PREFIX = "/me ";
export function actionText(text: string): string | null {
  return text.startsWith(ME_PREFIX) && text.length > ME_PREFIX.length
    ? text.slice(ME_PREFIX.length)
    : null;
}

/**
 * The `/query` the listbox filters by: the text is `/` plus a name being
 * typed (no space yet), or null (the list is closed).
 */
export function commandQuery(text: string): string | null {
  const match = /^\/([A-Za-z0-9_-]*)$/.exec(text);
  return match ? (match[1] ?? "").toLowerCase() : null;
}

/** Commands whose name starts with the query (built-ins first, then custom, by name). */
export function filterCommands(
  query: string,
  commands: readonly CommandInfo[],
): readonly CommandInfo[] {
  return commands.filter((c) => c.name.startsWith(query));
}

/** The /help text: one line per command. */
export function helpText(commands: readonly CommandInfo[]): string {
  return [
    "Commands:",
    ...commands.map((c) => `${c.usage} — ${c.description}`),
    "Start a message with // to send one that begins with /.",
  ].join("\n");
}

// Keyboard shortcuts: which key does what, and when a key belongs to the
// field being typed in instead. Pure, so the rules are unit tested; the
// room screen listens on the window (hooks/useShortcuts.ts).
import type { RoomSummary } from "../protocol/frames";

/** What a global shortcut asks for. */
export type ShortcutAction =
  | "jump-to-room"
  | "show-shortcuts"
  | "previous-room"
  | "next-room"
  | "next-region"
  | "previous-region";

/** The parts of a KeyboardEvent the rules read. */
export type KeyPress = {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  isComposing?: boolean;
};

/** Where the key went: a field that takes text, a control that uses arrows itself, a modal. */
export type KeyContext = { typing: boolean; ownsArrows: boolean; dialogOpen: boolean };

/**
 * The global shortcut a key press is, or null. Ctrl/Cmd+K and Ctrl/Cmd+/
 * work everywhere (they type nothing); `?` only outside text fields (there
 * it is a character); Alt+Up/Down not in controls that use Alt+arrows (a
 * select opens with Alt+Down) nor under an open dialog. F6 and Shift+F6
 * move between the page's regions, from a field too (F6 types nothing),
 * but not out of a modal (the browser keeps focus in it).
 */
export function shortcutFor(press: KeyPress, where: KeyContext): ShortcutAction | null {
  if (press.isComposing) return null;
  const command = press.ctrlKey || press.metaKey;
  if (command && !press.altKey && !press.shiftKey && press.key.toLowerCase() === "k") {
    return "jump-to-room";
  }
  if (command && !press.altKey && press.key === "/") return "show-shortcuts";
  if (where.dialogOpen) return null;
  if (press.key === "F6" && !command && !press.altKey) {
    return press.shiftKey ? "previous-region" : "next-region";
  }
  if (press.key === "?" && !command && !press.altKey && !where.typing) return "show-shortcuts";
  if (press.altKey && !command && !press.shiftKey && !where.ownsArrows) {
    if (press.key === "ArrowUp") return "previous-room";
    if (press.key === "ArrowDown") return "next-room";
  }
  return null;
}

/** Describes an element for shortcutFor: does it take typed text, does it use arrows itself. */
export function keyContextOf(
  target: {
    tagName?: string;
    isContentEditable?: boolean;
    type?: string;
    closest?: (selector: string) => unknown;
  } | null,
  dialogOpen: boolean,
): KeyContext {
  const tag = target?.tagName?.toUpperCase() ?? "";
  const textInput =
    tag === "INPUT" &&
    !["button", "checkbox", "radio", "submit", "reset", "range", "color", "file"].includes(
      target?.type ?? "text",
    );
  const typing = tag === "TEXTAREA" || textInput || target?.isContentEditable === true;
  const ownsArrows =
    tag === "SELECT" ||
    Boolean(
      target?.closest?.('[role="combobox"], [role="listbox"], [role="menu"], [role="slider"]'),
    );
  return { typing, ownsArrows, dialogOpen };
}

/** The room before (-1) or after (+1) the current one in the navigation's order, if any. */
export function adjacentRoom(
  navOrder: readonly RoomSummary[],
  currentId: string,
  step: -1 | 1,
): RoomSummary | null {
  const index = navOrder.findIndex((room) => room.id === currentId);
  if (index < 0) return null;
  return navOrder[index + step] ?? null;
}

/** The rooms in the order the "Rooms" navigation shows them: rooms, then direct messages. */
export function navOrder(rooms: readonly RoomSummary[]): RoomSummary[] {
  return [...rooms.filter((r) => r.kind !== "dm"), ...rooms.filter((r) => r.kind === "dm")];
}

/**
 * The rooms matching what was typed in "Jump to room": names that start
 * with it first, then a word that does, then anywhere; nav order within
 * each. Case and accents do not matter; an empty query lists every room.
 */
export function matchRooms(rooms: readonly RoomSummary[], query: string): RoomSummary[] {
  const wanted = fold(query.trim().replace(/^[#@]/, ""));
  const ordered = navOrder(rooms);
  if (!wanted) return ordered;
  const ranked: { room: RoomSummary; rank: number; index: number }[] = [];
  ordered.forEach((room, index) => {
    const name = fold(room.name);
    const slug = fold(room.slug);
    let rank = -1;
    if (name.startsWith(wanted) || slug.startsWith(wanted)) rank = 0;
    else if (name.split(/[\s\-_.]+/).some((word) => word.startsWith(wanted))) rank = 1;
    else if (name.includes(wanted) || slug.includes(wanted)) rank = 2;
    if (rank >= 0) ranked.push({ room, rank, index });
  });
  return ranked.sort((a, b) => a.rank - b.rank || a.index - b.index).map((r) => r.room);
}

function fold(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

/**
 * The region F6 (step +1) or Shift+F6 (step -1) moves to, out of `count`
 * in cycle order, from the one holding focus (`current`, -1 when focus is
 * in none of them: F6 then starts at the first, Shift+F6 at the last).
 */
export function regionAfter(current: number, count: number, step: -1 | 1): number {
  if (count <= 0) return -1;
  if (current < 0 || current >= count) return step === 1 ? 0 : count - 1;
  return (current + step + count) % count;
}

/** One row of the "Keyboard shortcuts" dialog. */
export type ShortcutHelp = { keys: string[]; what: string };

/** Every shortcut, as the dialog (and the README) lists them. */
export const SHORTCUTS: readonly ShortcutHelp[] = [
  { keys: ["Ctrl+K", "⌘K"], what: "Jump to room" },
  { keys: ["Alt+↑"], what: "Previous room" },
  { keys: ["Alt+↓"], what: "Next room" },
  { keys: ["F6"], what: "Next region: rooms, conversation, composer" },
  { keys: ["Shift+F6"], what: "Previous region" },
  { keys: ["↑"], what: "Edit your last message (in an empty composer)" },
  { keys: ["Enter"], what: "Send (in the composer); save an edit" },
  { keys: ["Shift+Enter"], what: "New line in a message" },
  { keys: ["Esc"], what: "Close the thread or dialog; cancel an edit" },
  { keys: ["?", "Ctrl+/"], what: "Show keyboard shortcuts" },
];

import type { NotifyLevel, RoomKind } from "../protocol/frames";

/**
 * The rules of issue 13's notifications, pure: which level applies to a
 * member in a room, and whether one message reaches one member's devices
 * (desktop notification and Web Push) or their missed-message email.
 */

/**
 * A member's level in a room: their own for the room, else "all" in a DM
 * (a DM is always meant for them) and their default level elsewhere.
 */
export function effectiveLevel(
  roomLevel: NotifyLevel | null,
  kind: RoomKind,
  defaultLevel: NotifyLevel,
): NotifyLevel {
  return roomLevel ?? (kind === "dm" ? "all" : defaultLevel);
}

/** What is known of one member when a message is stored. */
export type NotifyFacts = {
  level: NotifyLevel;
  muted: boolean;
  /** The message mentions them (by handle, or a room-wide mention that reached them). */
  mentioned: boolean;
  /** The room is a DM. */
  dm: boolean;
  /** Their read marker is at or past the message already (or they wrote it). */
  read: boolean;
  /** They have a visible tab on some instance. */
  visibleElsewhere: boolean;
  /** They turned missed-message email on. */
  emailEnabled: boolean;
};

/** Where one message goes for one member: their devices now, an email later. */
export type NotifyDecision = { device: boolean; email: boolean };

/** The level lets this message through: every message, or mentions and DMs. */
function levelMatches(facts: Pick<NotifyFacts, "level" | "mentioned" | "dm">): boolean {
  if (facts.level === "nothing") return false;
  return facts.level === "all" || facts.mentioned || facts.dm;
}

/**
 * One message, one member. Nothing for a muted room, a read message or a
 * level that does not let it through. Devices only when no tab of theirs is
 * visible anywhere (they are looking already). Email only for mentions and
 * DMs with email on; whether it is still unread when due is checked then.
 */
export function decideNotify(facts: NotifyFacts): NotifyDecision {
  if (facts.muted || facts.read || !levelMatches(facts)) return { device: false, email: false };
  return {
    device: !facts.visibleElsewhere,
    email: facts.emailEnabled && (facts.mentioned || facts.dm),
  };
}

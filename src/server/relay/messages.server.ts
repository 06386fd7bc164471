import type { WireUser } from "../../protocol/frames";

/**
 * Everything one instance tells the others, as one union. Room and user
 * frames carry the encoded ServerFrame as is (framed once, relayed as is).
 */
export type RelayMessage =
  /** A room event: every local socket in the room's topic gets `data`. */
  | { type: "room"; roomId: string; data: string }
  /** A frame for one user's sockets (read markers, room changes). */
  | { type: "user"; userId: string; data: string }
  /** The user became a member: their sockets enter the room's topic. */
  | { type: "attach"; userId: string; roomId: string }
  /** The user left or was removed: their sockets leave the room's topic. */
  | { type: "detach"; userId: string; roomId: string }
  /** The user came online or went offline; `rooms` are the rooms they share. */
  | { type: "presence"; user: WireUser; online: boolean; rooms: string[] }
  /** A session was signed out: its sockets close on every instance. */
  | { type: "session_revoked"; token: string }
  /** An admin deactivated the user: their sockets close (4003) on every instance. */
  | { type: "user_deactivated"; userId: string; tokens: string[] };

export type RelayMessageType = RelayMessage["type"];

/**
 * The wire form: the Relay port carries a key and a string. The key is
 * `<tag>:<id>`, kept from the first version so that instances of the
 * previous release understand this one during a rolling upgrade.
 */
type Wire = { key: string; data: string };

const TAG = {
  room: "r",
  user: "u",
  attach: "a",
  detach: "d",
  presence: "p",
  session_revoked: "s",
  user_deactivated: "k",
} as const satisfies Record<RelayMessageType, string>;

/** The key and data a message travels as. */
export function encodeRelay(message: RelayMessage): Wire {
  switch (message.type) {
    case "room":
      return { key: `${TAG.room}:${message.roomId}`, data: message.data };
    case "user":
      return { key: `${TAG.user}:${message.userId}`, data: message.data };
    case "attach":
    case "detach":
      return { key: `${TAG[message.type]}:${message.userId}`, data: message.roomId };
    case "presence": {
      const { user, online, rooms } = message;
      return { key: `${TAG.presence}:${user.id}`, data: JSON.stringify({ user, online, rooms }) };
    }
    case "session_revoked":
      return { key: `${TAG.session_revoked}:`, data: message.token };
    case "user_deactivated":
      return {
        key: `${TAG.user_deactivated}:${message.userId}`,
        data: JSON.stringify(message.tokens),
      };
  }
}

/** A decoded message, or why it was refused. */
export type Decoded = { ok: true; message: RelayMessage } | { ok: false; reason: string };

/**
 * Reads what another instance published. Never throws: the channel is
 * shared, and a malformed message must not take the subscriber down.
 */
export function decodeRelay(key: string, data: unknown): Decoded {
  if (typeof key !== "string" || typeof data !== "string") {
    return { ok: false, reason: "not a string" };
  }
  const colon = key.indexOf(":");
  if (colon !== 1) return { ok: false, reason: "no tag" };
  const tag = key.slice(0, 1);
  const id = key.slice(2);
  const needId = (message: RelayMessage): Decoded =>
    id.length > 0 ? { ok: true, message } : { ok: false, reason: "empty id" };
  switch (tag) {
    case TAG.room:
      if (data.startsWith(LEGACY_PRESENCE)) return decodeLegacyPresence(id, data);
      return needId({ type: "room", roomId: id, data });
    case TAG.user:
      return needId({ type: "user", userId: id, data });
    case TAG.attach:
    case TAG.detach: {
      const type = tag === TAG.attach ? "attach" : "detach";
      if (data.length === 0) return { ok: false, reason: "empty room id" };
      return needId({ type, userId: id, roomId: data });
    }
    case TAG.presence:
      return decodePresence(parseJson(data));
    case TAG.session_revoked:
      return data.length > 0
        ? { ok: true, message: { type: "session_revoked", token: data } }
        : { ok: false, reason: "empty token" };
    case TAG.user_deactivated: {
      const tokens = parseJson(data);
      if (!Array.isArray(tokens) || !tokens.every((t) => typeof t === "string")) {
        return { ok: false, reason: "deactivation without tokens" };
      }
      return needId({ type: "user_deactivated", userId: id, tokens });
    }
    default:
      return { ok: false, reason: `unknown tag "${tag}"` };
  }
}

/**
 * How a per-room presence frame starts (JSON.stringify keeps `type` first).
 * Instances of the release before issue 18 announced presence as one such
 * room event per room; it is read as the presence message it means, so
 * that a stale "offline" from one is still contradicted.
 */
const LEGACY_PRESENCE = '{"type":"presence"';

function decodeLegacyPresence(roomId: string, data: string): Decoded {
  if (roomId.length === 0) return { ok: false, reason: "empty id" };
  const frame = parseJson(data);
  if (frame === NOT_JSON) return { ok: false, reason: "presence is not JSON" };
  const { user, online } = (frame ?? {}) as Record<string, unknown>;
  return decodePresence({ user, online, rooms: [roomId] });
}

const NOT_JSON = Symbol("not JSON");

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return NOT_JSON;
  }
}

function decodePresence(value: unknown): Decoded {
  if (value === NOT_JSON) return { ok: false, reason: "presence is not JSON" };
  const { user, online, rooms } = (value ?? {}) as Record<string, unknown>;
  const who = user as Partial<WireUser> | undefined;
  if (typeof who?.id !== "string" || typeof who.name !== "string") {
    return { ok: false, reason: "presence without a user" };
  }
  if (typeof online !== "boolean") return { ok: false, reason: "presence without online" };
  if (!Array.isArray(rooms) || !rooms.every((room) => typeof room === "string")) {
    return { ok: false, reason: "presence without rooms" };
  }
  return {
    ok: true,
    message: { type: "presence", user: { id: who.id, name: who.name }, online, rooms },
  };
}

/** One handler per message type: a new type does not compile until it is routed. */
export type RelayHandlers = {
  [T in RelayMessageType]: (message: Extract<RelayMessage, { type: T }>) => void;
};

/** Calls the handler of the message's type. */
export function routeRelay(message: RelayMessage, on: RelayHandlers): void {
  switch (message.type) {
    case "room":
      on.room(message);
      return;
    case "user":
      on.user(message);
      return;
    case "attach":
      on.attach(message);
      return;
    case "detach":
      on.detach(message);
      return;
    case "presence":
      on.presence(message);
      return;
    case "session_revoked":
      on.session_revoked(message);
      return;
    case "user_deactivated":
      on.user_deactivated(message);
      return;
    default: {
      const unknown: never = message;
      throw new Error(`unrouted relay message ${JSON.stringify(unknown)}`);
    }
  }
}

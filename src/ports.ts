import type { WireMessage, WireRoom, WireUser } from "./protocol/frames";

/** A room as stored. */
export type Room = WireRoom;

/** Rooms and who belongs to them. */
export interface RoomStore {
  /** Creates a room; throws RoomTakenError when its slug exists. */
  createRoom(input: { name: string; slug: string; createdBy: string | null }): Promise<Room>;
  /** Creates the room if no room has that slug; returns it either way. */
  ensureRoom(input: { name: string; slug: string }): Promise<Room>;
  getRoomBySlug(slug: string): Promise<Room | undefined>;
  getRoom(id: string): Promise<Room | undefined>;
  listRooms(): Promise<Room[]>;
  /** Adds the user to the room; a no-op when already a member. */
  join(roomId: string, userId: string): Promise<void>;
  isMember(roomId: string, userId: string): Promise<boolean>;
  roomsOf(userId: string): Promise<Room[]>;
}

export type AppendInput = {
  roomId: string;
  author: WireUser;
  clientId: string;
  text: string;
};

/** The messages of every room, each with a gap-free per-room `seq`. */
export interface MessageStore {
  /**
   * Stores a message, assigning the room's next seq in the same transaction.
   * Resolves only after commit. A clientId seen before in the room returns
   * the original message with `duplicate: true` and stores nothing.
   */
  append(input: AppendInput): Promise<{ message: WireMessage; duplicate: boolean }>;
  /** Up to `limit` messages in ascending seq, the newest ones before `beforeSeq` (or overall). */
  history(roomId: string, options: { beforeSeq?: number; limit: number }): Promise<WireMessage[]>;
  /** Messages with seq > afterSeq in ascending order, at most `limit`. */
  after(roomId: string, afterSeq: number, limit: number): Promise<WireMessage[]>;
}

/** Thrown by createRoom when another room already has the slug. */
export class RoomTakenError extends Error {
  override name = "RoomTakenError";
}

/** The stores a server needs, plus a way to release them. */
export interface Storage {
  rooms: RoomStore;
  messages: MessageStore;
  close(): Promise<void>;
}

import { z } from "zod";

/** Wire protocol version; `ready` announces it, client frames may state it. */
export const PROTOCOL_VERSION = 1;

/** Limits shared by the client (to refuse early) and the server (to enforce). */
export const MAX_MESSAGE_CHARS = 4000;
export const MAX_FRAME_BYTES = 64 * 1024;

const id = z.string().min(1).max(64);

/** Message text: trimmed, 1 to MAX_MESSAGE_CHARS characters. */
export const messageText = z
  .string()
  .transform((text) => text.trim())
  .pipe(z.string().min(1, "empty").max(MAX_MESSAGE_CHARS, "too_large"));

const version = z.literal(PROTOCOL_VERSION).optional();

export const sendFrame = z.object({
  type: z.literal("send"),
  v: version,
  roomId: id,
  /** Client-generated id: a retried send is recognised and acked once. */
  clientId: id,
  text: messageText,
});

export const subscribeFrame = z.object({
  type: z.literal("subscribe"),
  v: version,
  roomId: id,
});

/** Every frame a client may send, keyed by `type`. */
export const clientFrame = z.discriminatedUnion("type", [sendFrame, subscribeFrame]);
export type ClientFrame = z.infer<typeof clientFrame>;
export type SendFrame = z.infer<typeof sendFrame>;

export const userSchema = z.object({ id: z.string(), name: z.string() });
export type WireUser = z.infer<typeof userSchema>;

export const roomSchema = z.object({ id: z.string(), slug: z.string(), name: z.string() });
export type WireRoom = z.infer<typeof roomSchema>;

export const messageSchema = z.object({
  id: z.string(),
  roomId: z.string(),
  seq: z.number().int().positive(),
  author: userSchema,
  text: z.string(),
  /** ISO 8601 time the server stored it. */
  createdAt: z.string(),
});
export type WireMessage = z.infer<typeof messageSchema>;

export const errorCodes = [
  "bad_frame",
  "forbidden",
  "not_found",
  "too_large",
  "rate_limited",
  "internal",
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/** Every frame the server sends, keyed by `type`. */
export const serverFrame = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("ready"),
    v: z.literal(PROTOCOL_VERSION),
    user: userSchema,
    rooms: z.array(roomSchema),
  }),
  z.object({ type: z.literal("ack"), clientId: z.string(), message: messageSchema }),
  z.object({ type: z.literal("message"), message: messageSchema }),
  z.object({ type: z.literal("subscribed"), roomId: z.string() }),
  z.object({
    type: z.literal("presence"),
    roomId: z.string(),
    user: userSchema,
    online: z.boolean(),
  }),
  z.object({
    type: z.literal("error"),
    code: z.enum(errorCodes),
    message: z.string(),
    /** Echoes the failed send's clientId so the client can mark it failed. */
    clientId: z.string().optional(),
  }),
]);
export type ServerFrame = z.infer<typeof serverFrame>;

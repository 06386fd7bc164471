import { z } from "zod";
import {
  MAX_FILES_PER_MESSAGE,
  messageSchema,
  messageTextOrEmpty,
  reactionEmoji,
  roomSchema,
  userSchema,
} from "../../protocol/frames";

/**
 * The API's request and answer shapes (issue 15): the handlers validate
 * with these and openapi.server.ts generates the document from them, so
 * the two cannot drift. Wire shapes come from the protocol's schemas.
 */

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
});

/** `{room}`: a room id or its slug. */
export const roomParam = z.string().min(1).max(100);
export const idParam = z.string().min(1).max(64);

/** A seq cursor in a query string. */
const seqQuery = z
  .string()
  .regex(/^\d{1,15}$/, "a seq: digits only")
  .transform(Number);

export const MESSAGE_PAGE_DEFAULT = 50;
export const MESSAGE_PAGE_MAX = 200;

export const messagesQuery = z
  .object({
    after: seqQuery.optional(),
    before: seqQuery.optional(),
    limit: z
      .string()
      .regex(/^\d{1,3}$/, "limit: 1 to 200")
      .transform(Number)
      .pipe(z.number().int().min(1).max(MESSAGE_PAGE_MAX))
      .optional(),
  })
  .refine((q) => q.after === undefined || q.before === undefined, {
    message: "give after or before, not both",
  });

export const messagePageSchema = z.object({
  messages: z.array(messageSchema),
  /** The cursor for the next page in the same direction, when there may be more. */
  next: z.number().int().optional(),
});

export const postMessageBody = z
  .object({
    text: messageTextOrEmpty,
    /** Reply in the thread of this message. */
    replyTo: idParam.optional(),
    fileIds: z.array(idParam).min(1).max(MAX_FILES_PER_MESSAGE).optional(),
  })
  .strict()
  .refine((b) => b.text.length > 0 || (b.fileIds?.length ?? 0) > 0, {
    message: "text is empty and there are no files",
    path: ["text"],
  });

export const editMessageBody = z
  .object({
    text: messageTextOrEmpty,
    fileIds: z.array(idParam).max(MAX_FILES_PER_MESSAGE).optional(),
  })
  .strict()
  .refine((b) => b.text.length > 0 || (b.fileIds?.length ?? 0) > 0, {
    message: "text is empty and there are no files",
    path: ["text"],
  });

export const emojiParam = reactionEmoji;

/** An Idempotency-Key: it becomes the send's clientId, so the same charset and length. */
export const idempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,64}$/, "Idempotency-Key: 1 to 64 of A-Z a-z 0-9 . _ : -");

export const roomListSchema = z.object({ rooms: z.array(roomSchema) });
export const roomOneSchema = z.object({ room: roomSchema });
export const createRoomBody = z
  .object({ name: z.string().min(1).max(500), private: z.boolean().optional() })
  .strict();
export const membersSchema = z.object({ members: z.array(userSchema) });
export const okSchema = z.object({ ok: z.literal(true) });

export const usersQuery = z.object({ q: z.string().min(1).max(100) });
export const userListSchema = z.object({ users: z.array(userSchema) });
export const userOneSchema = z.object({ user: userSchema });

export const searchQuerySchema = z.object({ q: z.string().min(1).max(200) });
export const searchResultSchema = z.object({
  hits: z.array(z.object({ message: messageSchema, room: roomSchema })),
});

export { messageSchema, roomSchema, userSchema };

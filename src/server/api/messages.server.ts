import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { ActionFrame, ServerFrame, WireMessage } from "../../protocol/frames";
import { act } from "./act.server";
import { messageInRoom } from "./message-read.server";
import { ApiProblem, problemOfError } from "./problem.server";
import { readableRoom, resolveRoom } from "./room-access.server";
import { type ApiContext, type ApiRoute, route } from "./route";
import {
  editMessageBody,
  emojiParam,
  idempotencyKey,
  idParam,
  MESSAGE_PAGE_DEFAULT,
  messagePageSchema,
  messageSchema,
  messagesQuery,
  postMessageBody,
  roomParam,
} from "./schemas";

const roomParams = z.object({ room: roomParam });
const messageParams = z.object({ room: roomParam, id: idParam });
const reactionParams = z.object({ room: roomParam, id: idParam, emoji: emojiParam });

/**
 * Runs a socket frame through act() (the socket's handler, policy, rate
 * limit per token and live fan-out); an error frame becomes its problem.
 */
async function actOrThrow(ctx: ApiContext, frame: ActionFrame): Promise<ServerFrame[]> {
  const result = await act(ctx.realtime, ctx.grant.user, frame, `token:${ctx.grant.id}`);
  if (!result.ok) throw problemOfError(result.error);
  return result.replies;
}

/** A room for a write: not found stays not found; the frame's handler decides the rest. */
async function writableRoomId(ctx: ApiContext, ref: string): Promise<string> {
  return (await resolveRoom(ctx, ref)).id;
}

const list = route({
  method: "GET",
  path: "/rooms/{room}/messages",
  operationId: "listMessages",
  tag: "Messages",
  summary:
    "A page of a room's messages by seq: after a seq (oldest first), before one, or the latest",
  scope: "read",
  params: roomParams,
  query: messagesQuery,
  responses: { 200: { description: "Messages in ascending seq", schema: messagePageSchema } },
  async handle(ctx) {
    const room = await readableRoom(ctx, ctx.params.room);
    const { messages } = ctx.runtime.storage;
    const limit = ctx.query.limit ?? MESSAGE_PAGE_DEFAULT;
    let page: WireMessage[];
    let next: number | undefined;
    if (ctx.query.after !== undefined) {
      page = await messages.after(room.id, ctx.query.after, limit);
      // Full page: there may be more after its last seq.
      if (page.length === limit) next = page[page.length - 1]?.seq;
    } else {
      page = await messages.history(room.id, { beforeSeq: ctx.query.before, limit });
      if (page.length === limit) next = page[0]?.seq;
    }
    return {
      status: 200,
      body: next === undefined ? { messages: page } : { messages: page, next },
    };
  },
});

const post = route({
  method: "POST",
  path: "/rooms/{room}/messages",
  operationId: "postMessage",
  tag: "Messages",
  summary: "Post a message; with Idempotency-Key a retry answers the message already stored",
  scope: "write",
  acts: true,
  params: roomParams,
  headers: z.object({ "idempotency-key": idempotencyKey.optional() }),
  body: postMessageBody,
  responses: { 201: { description: "The stored message (committed)", schema: messageSchema } },
  async handle(ctx) {
    const raw = ctx.headers.get("idempotency-key");
    let clientId: string = randomUUID();
    if (raw !== null) {
      const key = idempotencyKey.safeParse(raw);
      if (!key.success)
        throw new ApiProblem("bad_frame", key.error.issues[0]?.message ?? "bad key");
      clientId = key.data;
    }
    const roomId = await writableRoomId(ctx, ctx.params.room);
    const replies = await actOrThrow(ctx, {
      type: "send",
      roomId,
      clientId,
      text: ctx.body.text,
      ...(ctx.body.fileIds ? { fileIds: ctx.body.fileIds } : {}),
      ...(ctx.body.replyTo ? { threadRootId: ctx.body.replyTo } : {}),
    });
    const ack = replies.find((r) => r.type === "ack");
    if (ack?.type !== "ack") throw new ApiProblem("internal", "the send was not acknowledged");
    return { status: 201, body: ack.message, headers: { location: `messages/${ack.message.id}` } };
  },
});

const getOne = route({
  method: "GET",
  path: "/rooms/{room}/messages/{id}",
  operationId: "getMessage",
  tag: "Messages",
  summary: "One message",
  scope: "read",
  params: messageParams,
  responses: { 200: { description: "The message", schema: messageSchema } },
  async handle(ctx) {
    const room = await readableRoom(ctx, ctx.params.room);
    return { status: 200, body: await messageInRoom(ctx.runtime, room.id, ctx.params.id) };
  },
});

const edit = route({
  method: "PATCH",
  path: "/rooms/{room}/messages/{id}",
  operationId: "editMessage",
  tag: "Messages",
  summary: "Edit one's own message",
  scope: "write",
  acts: true,
  params: messageParams,
  body: editMessageBody,
  responses: { 200: { description: "The edited message", schema: messageSchema } },
  async handle(ctx) {
    const roomId = await writableRoomId(ctx, ctx.params.room);
    await actOrThrow(ctx, {
      type: "edit",
      roomId,
      messageId: ctx.params.id,
      text: ctx.body.text,
      ...(ctx.body.fileIds ? { fileIds: ctx.body.fileIds } : {}),
    });
    return { status: 200, body: await messageInRoom(ctx.runtime, roomId, ctx.params.id) };
  },
});

const remove = route({
  method: "DELETE",
  path: "/rooms/{room}/messages/{id}",
  operationId: "deleteMessage",
  tag: "Messages",
  summary: "Delete a message (one's own, or as a moderator)",
  scope: "write",
  acts: true,
  params: messageParams,
  responses: { 200: { description: "The deleted message (its seq stays)", schema: messageSchema } },
  async handle(ctx) {
    const roomId = await writableRoomId(ctx, ctx.params.room);
    await actOrThrow(ctx, { type: "delete", roomId, messageId: ctx.params.id });
    return { status: 200, body: await messageInRoom(ctx.runtime, roomId, ctx.params.id) };
  },
});

/**
 * The socket's react frame toggles; PUT and DELETE are idempotent, so the
 * toggle is sent only when the caller's reaction is not already as asked.
 */
async function setReaction(ctx: ApiContext<z.output<typeof reactionParams>>, on: boolean) {
  const roomId = await writableRoomId(ctx, ctx.params.room);
  const { id, emoji } = ctx.params;
  const before = await messageInRoom(ctx.runtime, roomId, id).catch(() => undefined);
  const has = before?.reactions.some(
    (r) => r.emoji === emoji && r.userIds.includes(ctx.grant.user.id),
  );
  // Unknown message, or a change to make: the handler decides (policy, not found).
  if (!before || has !== on) await actOrThrow(ctx, { type: "react", roomId, messageId: id, emoji });
  else {
    // Nothing to change, but the caller must still be allowed to touch it.
    await readableRoom(ctx, roomId);
  }
  return { status: 200, body: await messageInRoom(ctx.runtime, roomId, id) };
}

const react = route({
  method: "PUT",
  path: "/rooms/{room}/messages/{id}/reactions/{emoji}",
  operationId: "addReaction",
  tag: "Messages",
  summary: "Add one's reaction (no change when already there)",
  scope: "write",
  acts: true,
  params: reactionParams,
  responses: { 200: { description: "The message with its reactions", schema: messageSchema } },
  handle: (ctx) => setReaction(ctx, true),
});

const unreact = route({
  method: "DELETE",
  path: "/rooms/{room}/messages/{id}/reactions/{emoji}",
  operationId: "removeReaction",
  tag: "Messages",
  summary: "Take one's reaction back (no change when not there)",
  scope: "write",
  acts: true,
  params: reactionParams,
  responses: { 200: { description: "The message with its reactions", schema: messageSchema } },
  handle: (ctx) => setReaction(ctx, false),
});

export const messageRoutes: ApiRoute[] = [list, post, getOne, edit, remove, react, unreact];

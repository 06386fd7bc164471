import { z } from "zod";
import { createRoomFor, joinRoomFor } from "../fns/room-join.server";
import { act } from "./act.server";
import { ApiProblem, problemOfError } from "./problem.server";
import { readableRoom, resolveRoom } from "./room-access.server";
import { type ApiRoute, route } from "./route";
import {
  createRoomBody,
  membersSchema,
  okSchema,
  roomListSchema,
  roomOneSchema,
  roomParam,
} from "./schemas";

const roomParams = z.object({ room: roomParam });

/** A createRoomFor / joinRoomFor refusal as its problem. */
const REFUSAL_CODE = {
  forbidden: "forbidden",
  invalid: "bad_frame",
  limited: "rate_limited",
  taken: "conflict",
  not_found: "not_found",
} as const;

const list = route({
  method: "GET",
  path: "/rooms",
  operationId: "listRooms",
  tag: "Rooms",
  summary: "The public rooms, and the private rooms and DMs the caller belongs to",
  scope: "read",
  responses: { 200: { description: "Rooms", schema: roomListSchema } },
  async handle(ctx) {
    const rooms = await ctx.runtime.storage.rooms.listVisible(ctx.grant.user.id);
    return {
      status: 200,
      body: { rooms: rooms.map(({ id, slug, name, kind }) => ({ id, slug, name, kind })) },
    };
  },
});

const create = route({
  method: "POST",
  path: "/rooms",
  operationId: "createRoom",
  tag: "Rooms",
  summary: "Create a room (the UI's rules: names, limits, who may)",
  scope: "write",
  body: createRoomBody,
  responses: { 201: { description: "The new room", schema: roomOneSchema } },
  async handle(ctx) {
    const made = await createRoomFor(ctx.runtime, ctx.grant.user, ctx.body);
    if (!made.ok) throw new ApiProblem(REFUSAL_CODE[made.kind], made.error);
    const { id, slug, name, kind } = made.room;
    return { status: 201, body: { room: { id, slug, name, kind } } };
  },
});

const getOne = route({
  method: "GET",
  path: "/rooms/{room}",
  operationId: "getRoom",
  tag: "Rooms",
  summary: "One room the caller may read",
  scope: "read",
  params: roomParams,
  responses: { 200: { description: "The room", schema: roomOneSchema } },
  async handle(ctx) {
    const { id, slug, name, kind } = await readableRoom(ctx, ctx.params.room);
    return { status: 200, body: { room: { id, slug, name, kind } } };
  },
});

const members = route({
  method: "GET",
  path: "/rooms/{room}/members",
  operationId: "listMembers",
  tag: "Rooms",
  summary: "A room's members",
  scope: "read",
  params: roomParams,
  responses: { 200: { description: "Members", schema: membersSchema } },
  async handle(ctx) {
    const room = await readableRoom(ctx, ctx.params.room);
    return { status: 200, body: { members: await ctx.runtime.storage.rooms.members(room.id) } };
  },
});

const join = route({
  method: "POST",
  path: "/rooms/{room}/join",
  operationId: "joinRoom",
  tag: "Rooms",
  summary: "Join a public room",
  scope: "write",
  params: roomParams,
  responses: { 200: { description: "Joined (or a member already)", schema: roomOneSchema } },
  async handle(ctx) {
    const room = await resolveRoom(ctx, ctx.params.room);
    const joined = await joinRoomFor(ctx.runtime, ctx.grant.user, room.id);
    if (!joined.ok) throw new ApiProblem(REFUSAL_CODE[joined.kind], joined.error);
    const { id, slug, name, kind } = joined.room;
    return { status: 200, body: { room: { id, slug, name, kind } } };
  },
});

const leave = route({
  method: "POST",
  path: "/rooms/{room}/leave",
  operationId: "leaveRoom",
  tag: "Rooms",
  summary: "Leave a room (the socket's leave: not the default room)",
  scope: "write",
  acts: true,
  params: roomParams,
  responses: { 200: { description: "Left", schema: okSchema } },
  async handle(ctx) {
    const room = await resolveRoom(ctx, ctx.params.room);
    const result = await act(
      ctx.realtime,
      ctx.grant.user,
      { type: "leave", roomId: room.id, ref: "api" },
      `token:${ctx.grant.id}`,
    );
    if (!result.ok) throw problemOfError(result.error);
    return { status: 200, body: { ok: true } };
  },
});

export const roomRoutes: ApiRoute[] = [list, create, getOne, members, join, leave];

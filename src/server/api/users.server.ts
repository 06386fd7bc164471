import { z } from "zod";
import { parsePeopleQuery } from "../../core/people-search";
import { parseSearchQuery } from "../../core/search-query";
import { ApiProblem } from "./problem.server";
import { type ApiRoute, route } from "./route";
import {
  idParam,
  searchQuerySchema,
  searchResultSchema,
  userListSchema,
  userOneSchema,
  usersQuery,
} from "./schemas";

/** People a users page lists at most (the people picker's query rules). */
const USERS_LIMIT = 50;
/** Search hits answered at most (the UI shows 20). */
const SEARCH_LIMIT = 50;

const list = route({
  method: "GET",
  path: "/users",
  operationId: "listUsers",
  tag: "Users",
  summary: "People whose handle, name or email starts with q (the people picker's rule)",
  scope: "read",
  query: usersQuery,
  responses: { 200: { description: "Users", schema: userListSchema } },
  async handle(ctx) {
    const query = parsePeopleQuery(ctx.query.q);
    if (!query) throw new ApiProblem("bad_frame", "q is empty");
    return {
      status: 200,
      body: { users: await ctx.runtime.storage.users.searchPeople(query, USERS_LIMIT) },
    };
  },
});

const me = route({
  method: "GET",
  path: "/users/me",
  operationId: "getMe",
  tag: "Users",
  summary: "The token's user",
  scope: "read",
  responses: { 200: { description: "The caller", schema: userOneSchema } },
  async handle(ctx) {
    return { status: 200, body: { user: ctx.grant.user } };
  },
});

const getOne = route({
  method: "GET",
  path: "/users/{id}",
  operationId: "getUser",
  tag: "Users",
  summary: "One user",
  scope: "read",
  params: z.object({ id: idParam }),
  responses: { 200: { description: "The user", schema: userOneSchema } },
  async handle(ctx) {
    const user = await ctx.runtime.storage.users.findById(ctx.params.id);
    if (!user) throw new ApiProblem("not_found", "no such user");
    return { status: 200, body: { user } };
  },
});

const search = route({
  method: "GET",
  path: "/search",
  operationId: "search",
  tag: "Search",
  summary:
    "Full-text search with the UI's operators (from:, in:, before:, after:, has:) in the caller's rooms",
  scope: "read",
  query: searchQuerySchema,
  responses: { 200: { description: "Hits, newest first", schema: searchResultSchema } },
  async handle(ctx) {
    const { query, problems } = parseSearchQuery(ctx.query.q);
    if (problems.length > 0) throw new ApiProblem("bad_frame", problems.join(" "));
    const hits = await ctx.runtime.storage.search.search(ctx.grant.user.id, query, SEARCH_LIMIT);
    return { status: 200, body: { hits } };
  },
});

export const userRoutes: ApiRoute[] = [list, me, getOne];
export const searchRoutes: ApiRoute[] = [search];

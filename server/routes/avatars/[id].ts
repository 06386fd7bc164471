import { defineHandler, getRouterParam } from "h3";
import { serveAvatar } from "../../../src/server/files/avatar-http.server";
import { getRuntime } from "../../../src/server/runtime.server";

// GET /avatars/<user id>?v=<version>: a user's avatar, to anyone signed in.
export default defineHandler(async (event) =>
  serveAvatar(await getRuntime(), event.req, getRouterParam(event, "id") ?? ""),
);

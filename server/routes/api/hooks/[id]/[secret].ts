import { defineHandler, getRouterParam } from "h3";
import { getRuntime } from "../../../../../src/server/runtime.server";
import { handleIncomingHook } from "../../../../../src/server/webhooks/incoming.server";
import { getRealtime } from "../../../../../src/server/ws/realtime.server";

// POST /api/hooks/<id>/<secret>: an incoming webhook posts in its room
// (src/server/webhooks/incoming.server.ts).
export default defineHandler(async (event) =>
  handleIncomingHook(
    await getRuntime(),
    getRealtime,
    event.req,
    getRouterParam(event, "id") ?? "",
    getRouterParam(event, "secret") ?? "",
  ),
);

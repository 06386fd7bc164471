import { defineHandler, getRouterParam } from "h3";
import { handleRoomExport } from "../../../../../src/server/portability/export-http.server";
import { getRuntime } from "../../../../../src/server/runtime.server";

// GET /api/export/rooms/<room id>: one room as Parley JSONL, for admins
// (src/server/portability/export-http.server.ts).
export default defineHandler(async (event) =>
  handleRoomExport(await getRuntime(), event.req, getRouterParam(event, "id") ?? ""),
);

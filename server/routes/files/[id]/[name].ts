import { defineHandler, getRouterParam } from "h3";
import { serveFile } from "../../../../src/server/files/serve.server";
import { getRuntime } from "../../../../src/server/runtime.server";

// GET /files/<id>/<name>: an uploaded file, to members of its room only
// (src/server/files/serve.server.ts holds the checks and headers).
export default defineHandler(async (event) =>
  serveFile(await getRuntime(), event.req, getRouterParam(event, "id") ?? ""),
);

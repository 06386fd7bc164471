import { defineHandler } from "h3";
import { handleSelfExport } from "../../../../src/server/portability/export-http.server";
import { getRuntime } from "../../../../src/server/runtime.server";

// GET /api/export/me: the signed-in user's own messages as Parley JSONL
// (GDPR self-export; src/server/portability/export-http.server.ts).
export default defineHandler(async (event) => handleSelfExport(await getRuntime(), event.req));

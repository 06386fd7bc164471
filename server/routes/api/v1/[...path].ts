import { defineHandler } from "h3";
import { handleApi } from "../../../../src/server/api/router.server";
import { getRuntime } from "../../../../src/server/runtime.server";

// /api/v1/**: the REST API (src/server/api/router.server.ts routes it).
export default defineHandler(async (event) => handleApi(await getRuntime(), event.req));

import { defineHandler } from "h3";
import { handleUpload } from "../../../src/server/files/upload.server";
import { getRuntime } from "../../../src/server/runtime.server";

// POST /api/files?name=<file name>: the body is the file itself
// (src/server/files/upload.server.ts streams, checks and stores it).
export default defineHandler(async (event) => handleUpload(await getRuntime(), event.req));

import { defineHandler } from "h3";
import { handleAvatar } from "../../../src/server/files/avatar-http.server";
import { getRuntime } from "../../../src/server/runtime.server";

// POST /api/avatar (the body is the picture) and DELETE /api/avatar: the
// signed-in user's avatar (src/server/files/avatar-http.server.ts).
export default defineHandler(async (event) => handleAvatar(await getRuntime(), event.req));

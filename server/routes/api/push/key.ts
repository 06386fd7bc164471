import { defineHandler } from "h3";
import { handlePushKey } from "../../../../src/server/push/push-http.server";
import { getRuntime } from "../../../../src/server/runtime.server";

// GET /api/push/key: the VAPID public key browsers subscribe with (issue 13).
export default defineHandler(async (event) => handlePushKey(await getRuntime(), event.req));

import { defineHandler } from "h3";
import { handlePushSubscriptions } from "../../../../src/server/push/push-http.server";
import { getRuntime } from "../../../../src/server/runtime.server";

// POST / DELETE /api/push/subscriptions: this browser's Web Push subscription (issue 13).
export default defineHandler(async (event) =>
  handlePushSubscriptions(await getRuntime(), event.req),
);

import { defineHandler } from "h3";
import { handleUnsubscribe } from "../../../../src/server/email/unsubscribe.server";
import { getRuntime } from "../../../../src/server/runtime.server";

// GET and POST /api/email/unsubscribe?token=… (src/server/email/unsubscribe.server.ts).
export default defineHandler(async (event) => {
  const runtime = await getRuntime();
  return handleUnsubscribe(event.req, { db: runtime.db, secret: runtime.authSecret });
});

import { defineHandler } from "h3";
import { getRuntime } from "../../../../src/server/runtime.server";

// better-auth answers everything under /api/auth (sign-up, sign-in, sign-out, session).
export default defineHandler(async (event) => {
  const { auth } = await getRuntime();
  return auth.handler(event.req);
});

import { defineHandler } from "h3";
import { handleAuthRequest } from "../../../../src/server/auth/http.server";
import { getRuntime } from "../../../../src/server/runtime.server";

// better-auth answers everything under /api/auth (sign-up, sign-in, sign-out,
// sessions); src/server/auth/http.server.ts guards it (body cap, client
// address, names, account locks) and closes the sockets of ended sessions.
export default defineHandler(async (event) => handleAuthRequest(await getRuntime(), event.req));

import { defineHandler } from "h3";
import { sessionOf } from "../../../../src/server/auth/auth.server";
import { getRuntime } from "../../../../src/server/runtime.server";

// better-auth answers everything under /api/auth (sign-up, sign-in, sign-out, session).
export default defineHandler(async (event) => {
  const { auth, events } = await getRuntime();
  const signingOut = event.req.method === "POST" && event.url.pathname.endsWith("/sign-out");
  const session = signingOut ? await sessionOf(auth, event.req.headers) : null;
  const response = await auth.handler(event.req);
  // Signing out ends the session's live sockets too, not only its cookie.
  if (session && response.ok) events.emit({ type: "signed_out", token: session.token });
  return response;
});

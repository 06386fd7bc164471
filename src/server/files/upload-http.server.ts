import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import type { WireUser } from "../../protocol/frames";
import type { Runtime } from "../runtime.server";
import { isOriginAllowed, ownOrigin } from "../ws/origin";

/** A JSON refusal `{ error, message }`, never cached. */
export function jsonAnswer(status: number, body: object, headers: HeadersInit = {}): Response {
  const answer = new Response(JSON.stringify(body), {
    status,
    headers: {
      "content-type": "application/json",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
  for (const [name, value] of new Headers(headers)) answer.headers.set(name, value);
  return answer;
}

export const refuse = (status: number, error: string, message: string) =>
  jsonAnswer(status, { error, message });

/** The Node request behind a srvx Request (its socket tells TLS apart), when on Node. */
export function nodeRequestOf(request: Request): IncomingMessage | undefined {
  return (request as Request & { runtime?: { node?: { req?: IncomingMessage } } }).runtime?.node
    ?.req;
}

/**
 * The same gate as the /_ws upgrade: a browser's Origin must be the app's
 * own (or a configured extra), then the session cookie must name a user.
 * A refusal (403, 401) or the signed-in user. `words` are the refusals'
 * messages, which name the route's purpose (uploads by default).
 */
export async function signedInFromOwnOrigin(
  runtime: Pick<Runtime, "config" | "auth">,
  request: Request,
  sessionUser: (headers: Headers) => Promise<WireUser | null>,
  words: { origin: string; session: string } = {
    origin: "Uploads are accepted from this app's own pages only.",
    session: "Sign in to upload files.",
  },
): Promise<Response | WireUser> {
  const { config } = runtime;
  const origin = request.headers.get("origin");
  const socket = nodeRequestOf(request)?.socket as TLSSocket | undefined;
  const own = ownOrigin(
    {
      host: request.headers.get("host"),
      forwardedProto: request.headers.get("x-forwarded-proto"),
      encrypted: socket?.encrypted === true,
    },
    config,
  );
  if (!isOriginAllowed(origin, own, config.allowedOrigins)) {
    return refuse(403, "forbidden_origin", words.origin);
  }
  const user = await sessionUser(request.headers);
  if (!user) return refuse(401, "unauthorized", words.session);
  return user;
}

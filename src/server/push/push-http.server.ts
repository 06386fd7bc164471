import { z } from "zod";
import type { WireUser } from "../../protocol/frames";
import { pushSubscriptionSchema } from "../../protocol/push";
import { sessionUser } from "../auth/auth.server";
import { lingerThenCut, readCapped } from "../body-limit";
import { jsonAnswer, refuse, signedInFromOwnOrigin } from "../files/upload-http.server";
import type { Runtime } from "../runtime.server";
import { createPushSubscriptionStore } from "./subscription-store.server";
import { getVapid } from "./vapid.server";

/** A subscription is a URL and two keys: far below this; more is not a browser. */
export const PUSH_BODY_LIMIT = 8 * 1024;

type PushRuntime = Pick<Runtime, "config" | "auth" | "log" | "db">;

const unsubscribeSchema = z.object({ endpoint: z.string().min(1).max(2048) });

/** The /_ws gate for these routes (signedInFromOwnOrigin), in push's words. */
function gate(runtime: PushRuntime, request: Request): Promise<Response | WireUser> {
  return signedInFromOwnOrigin(runtime, request, (headers) => sessionUser(runtime.auth, headers), {
    origin: "Push settings are accepted from this app's own pages only.",
    session: "Sign in to use push notifications.",
  });
}

/** A refusal before the body was read: the rest is dropped, then the connection cut. */
function cutShort(request: Request, answer: Response): Response {
  if (request.body) {
    answer.headers.set("connection", "close");
    lingerThenCut(request, answer.headers);
  }
  return answer;
}

/** The body as JSON checked by `schema`: the value, or the 400/413 to answer. */
async function jsonBody<T>(
  request: Request,
  schema: z.ZodType<T>,
  what: string,
): Promise<T | Response> {
  const bytes = await readCapped(request, PUSH_BODY_LIMIT);
  if (bytes === null) {
    return cutShort(
      request,
      refuse(413, "too_large", `The body can be at most ${PUSH_BODY_LIMIT} bytes.`),
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return refuse(400, "bad_json", "The body must be JSON.");
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
    return refuse(400, "bad_body", `Not ${what}: ${where}${issue?.message ?? "invalid"}.`);
  }
  return parsed.data;
}

function storeOf(runtime: PushRuntime) {
  if (!runtime.db) throw new Error("push subscriptions need the database");
  return createPushSubscriptionStore(runtime.db);
}

/** GET /api/push/key: `{ publicKey }`, the VAPID key a browser subscribes with. */
export async function handlePushKey(runtime: PushRuntime, request: Request): Promise<Response> {
  if (request.method !== "GET" && request.method !== "HEAD") {
    return cutShort(
      request,
      jsonAnswer(405, { error: "method", message: "Use GET." }, { allow: "GET" }),
    );
  }
  const user = await gate(runtime, request);
  if (user instanceof Response) return user;
  return jsonAnswer(200, { publicKey: getVapid(runtime.config, runtime.log).publicKey });
}

/**
 * POST /api/push/subscriptions: stores the browser's PushSubscription.toJSON()
 * for the signed-in user (201). DELETE with `{ endpoint }`: removes the
 * caller's own subscription with it (204; 404 when they have none).
 */
export async function handlePushSubscriptions(
  runtime: PushRuntime,
  request: Request,
): Promise<Response> {
  if (request.method !== "POST" && request.method !== "DELETE") {
    return cutShort(
      request,
      jsonAnswer(
        405,
        { error: "method", message: "Use POST or DELETE." },
        { allow: "POST, DELETE" },
      ),
    );
  }
  const user = await gate(runtime, request);
  if (user instanceof Response) return cutShort(request, user);
  if (request.method === "POST") {
    const body = await jsonBody(request, pushSubscriptionSchema, "a push subscription");
    if (body instanceof Response) return body;
    const stored = await storeOf(runtime).save(user.id, {
      endpoint: body.endpoint,
      p256dh: body.keys.p256dh,
      auth: body.keys.auth,
    });
    runtime.log.info("push subscription stored", { user: user.id, subscription: stored.id });
    return jsonAnswer(201, { id: stored.id });
  }
  const body = await jsonBody(request, unsubscribeSchema, "an unsubscribe request");
  if (body instanceof Response) return body;
  const removed = await storeOf(runtime).remove(user.id, body.endpoint);
  if (!removed)
    return refuse(404, "not_found", "You have no push subscription with that endpoint.");
  return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
}

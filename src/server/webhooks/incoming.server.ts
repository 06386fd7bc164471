import { randomUUID } from "node:crypto";
import { INCOMING_WEBHOOK_MAX_BYTES, parseHookBody, viaOf } from "../../core/incoming-webhook";
import { PROTOCOL_VERSION, type ServerFrame } from "../../protocol/frames";
import { act } from "../api/act.server";
import { lingerThenCut, readCapped } from "../body-limit";
import type { Runtime } from "../runtime.server";
import { findLiveWebhook } from "../storage/incoming-webhook-store.server";
import type { Realtime } from "../ws/realtime.server";

/**
 * POST /api/hooks/<id>/<secret> (issue 15): an incoming webhook posts a
 * message in its room, as its bot user, through act(): the socket's send
 * handler and policy (archived, announcement-only, muted...), ack means
 * committed, live fan-out to every instance, and a rate limit per webhook
 * (key `hook:<id>`, the socket's per-user rate). Answers as Slack does:
 * 200 `ok` as text, and every failure as text saying what is wrong.
 */
export async function handleIncomingHook(
  runtime: Pick<Runtime, "db" | "log">,
  realtime: () => Promise<Realtime>,
  request: Request,
  id: string,
  secret: string,
): Promise<Response> {
  if (request.method !== "POST") {
    return answer(405, "method_not_allowed: POST a JSON body", { allow: "POST" });
  }
  // A declared length over the cap is refused before reading any of it, a
  // chunked body as soon as it passes the cap.
  const body = await readCapped(request, INCOMING_WEBHOOK_MAX_BYTES);
  if (body === null) {
    const refused = answer(
      413,
      `payload_too_large: the body is over ${INCOMING_WEBHOOK_MAX_BYTES / 1024} KiB`,
    );
    lingerThenCut(request, refused.headers);
    return refused;
  }
  const db = runtime.db;
  if (!db) throw new Error("incoming webhooks need the database");
  // Unknown, revoked and wrong secret read the same: the URL leaks nothing.
  const hook = await findLiveWebhook(db, id, secret);
  if (!hook) return answer(404, "no_service: no such webhook (it may have been revoked)");
  const parsed = parseHookBody(request.headers.get("content-type"), new TextDecoder().decode(body));
  if (!parsed.ok) return answer(parsed.status, parsed.message);
  const result = await act(
    await realtime(),
    hook.bot,
    {
      type: "send",
      v: PROTOCOL_VERSION,
      roomId: hook.roomId,
      clientId: randomUUID(),
      text: parsed.text,
    },
    `hook:${hook.id}`,
    { via: viaOf(hook.name, parsed) },
  );
  if (result.ok) return answer(200, "ok");
  return refusalAnswer(result.error, runtime, hook.id);
}

/** The room's refusal (act's error frame) as the hook's status and words. */
function refusalAnswer(
  error: Extract<ServerFrame, { type: "error" }>,
  runtime: Pick<Runtime, "log">,
  hookId: string,
): Response {
  switch (error.code) {
    case "rate_limited": {
      const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000));
      return answer(429, `rate_limited: slow down, retry in ${seconds} s`, {
        "retry-after": String(seconds),
      });
    }
    case "forbidden":
      // Archived, announcement-only, muted, or the bot was removed from the room.
      return answer(403, `forbidden: ${error.message}`);
    case "not_found":
      return answer(404, `no_service: ${error.message}`);
    case "bad_frame":
    case "too_large":
      return answer(400, `invalid_payload: ${error.message}`);
    case "internal":
      runtime.log.error("incoming webhook post failed", { hookId, error: error.message });
      return answer(500, "internal: the message could not be stored; retry later");
    default:
      return answer(409, `${error.code}: ${error.message}`);
  }
}

function answer(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(text, {
    status,
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "no-store",
      ...headers,
    },
  });
}

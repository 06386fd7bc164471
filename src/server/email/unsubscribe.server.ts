import type { Kysely } from "kysely";
import type { Database } from "../storage/schema.server";
import { verifyUnsubscribeToken } from "./unsubscribe-token.server";

const page = (status: number, title: string, body: string) =>
  new Response(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
      `<body><main><h1>${title}</h1><p>${body}</p></main></body></html>`,
    {
      status,
      headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
    },
  );

/** Turns missed-message email off for the user (making their settings row if absent). */
async function emailOff(db: Kysely<Database>, userId: string, at: number) {
  await db
    .insertInto("notify_settings")
    .values({ user_id: userId, email: 0, updated_at: at })
    .onConflict((oc) => oc.column("user_id").doUpdateSet({ email: 0, updated_at: at }))
    .execute();
  // Whatever was still waiting is not sent either.
  await db.deleteFrom("email_pending").where("user_id", "=", userId).execute();
}

/**
 * GET or POST /api/email/unsubscribe?token=…: the link in every email and
 * its one-click form (RFC 8058: mail clients POST `List-Unsubscribe=One-Click`
 * with no cookie, so the signed token alone says who). Both turn email off;
 * GET answers a small page saying so. A bad token: 400 and why.
 */
export async function handleUnsubscribe(
  request: Request,
  deps: { db: Kysely<Database> | undefined; secret: string | undefined },
): Promise<Response> {
  if (request.method !== "GET" && request.method !== "POST") {
    return new Response("Method not allowed", { status: 405, headers: { allow: "GET, POST" } });
  }
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const userId = deps.secret ? verifyUnsubscribeToken(deps.secret, token) : null;
  if (!userId || !deps.db) {
    return page(
      400,
      "Invalid unsubscribe link",
      "This unsubscribe link is not valid (it may be incomplete or altered). Copy the whole link from the email, or turn email off under Settings → Notifications.",
    );
  }
  await emailOff(deps.db, userId, Date.now());
  if (request.method === "POST") return new Response(null, { status: 204 });
  return page(
    200,
    "Unsubscribed",
    "You will get no more missed-message emails. You can turn them back on under Settings → Notifications.",
  );
}

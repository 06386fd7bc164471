import { mayExportRoom } from "../../core/admin-policy";
import { sessionUser } from "../auth/auth.server";
import { readServerRole } from "../auth/server-role.server";
import { jsonAnswer } from "../files/upload-http.server";
import type { Runtime } from "../runtime.server";
import { writeAudit } from "../storage/audit.server";
import { type ExportScope, exportJsonl } from "./export.server";

type ExportRuntime = Pick<Runtime, "auth" | "db">;

const refuse = (status: number, error: string, message: string) =>
  jsonAnswer(status, { error, message });

/** A JSONL download, streamed a line at a time (a large room never sits in memory). */
function download(runtime: ExportRuntime, scope: ExportScope, filename: string): Response {
  const db = runtime.db;
  if (!db) throw new Error("no database");
  const encoder = new TextEncoder();
  const lines = exportJsonl(db, scope);
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}

const today = () => new Date().toISOString().slice(0, 10);

/**
 * GET /api/export/rooms/<id>: one room in Parley's export format, for the
 * admin console's "Export" action. 401 signed out, 403 to anyone but an
 * admin (the role read fresh: a demoted admin is refused at once), 404 for
 * no such room. The export is audited (room.export) before a byte is sent.
 */
export async function handleRoomExport(
  runtime: ExportRuntime,
  request: Request,
  roomId: string,
): Promise<Response> {
  if (request.method !== "GET") {
    return jsonAnswer(405, { error: "method", message: "Download with GET." }, { allow: "GET" });
  }
  const user = await sessionUser(runtime.auth, request.headers);
  if (!user) return refuse(401, "unauthorized", "Sign in as an admin to export a room.");
  const db = runtime.db;
  if (!db) throw new Error("no database");
  const decision = mayExportRoom(await readServerRole(db, user.id));
  if (!decision.ok) return refuse(403, "forbidden", decision.error);
  const room = await db
    .selectFrom("room")
    .select(["id", "slug", "name"])
    .where("id", "=", roomId)
    .executeTakeFirst();
  if (!room) return refuse(404, "not_found", "There is no such room.");
  await db.transaction().execute((trx) =>
    writeAudit(trx, {
      actorId: user.id,
      action: "room.export",
      roomId: room.id,
      details: { name: room.name },
    }),
  );
  return download(
    runtime,
    { kind: "room", roomId: room.id },
    `parley-room-${room.slug}-${today()}.jsonl`,
  );
}

/**
 * GET /api/export/me: the signed-in user's own profile and messages (a GDPR
 * self-export from /settings). Only their messages, and of the reactions on
 * them only their own; no one else's profile. 401 signed out.
 */
export async function handleSelfExport(
  runtime: ExportRuntime,
  request: Request,
): Promise<Response> {
  if (request.method !== "GET") {
    return jsonAnswer(405, { error: "method", message: "Download with GET." }, { allow: "GET" });
  }
  const user = await sessionUser(runtime.auth, request.headers);
  if (!user) return refuse(401, "unauthorized", "Sign in to export your messages.");
  return download(
    runtime,
    { kind: "self", userId: user.id },
    `parley-my-messages-${today()}.jsonl`,
  );
}

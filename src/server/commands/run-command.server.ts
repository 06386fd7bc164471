import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { unknownCommand } from "../../core/commands";
import { commandAnswer, commandRequestBody, unreachableAnswer } from "../../core/custom-commands";
import { PROTOCOL_VERSION, type WireUser } from "../../protocol/frames";
import { act, actorLimitsOf } from "../api/act.server";
import type { Runtime } from "../runtime.server";
import type { Database } from "../storage/schema.server";
import { guardedPost } from "../webhooks/guarded-post.server";
import { signedHeaders } from "../webhooks/signature.server";
import type { Realtime } from "../ws/realtime.server";
import { createCommandStore } from "./command-store.server";

/**
 * Runs a custom slash command for a user in a room (issue 15): check (the
 * command exists, the user is a member, within their rate), then POST the
 * signed request under the outgoing webhooks' SSRF rules (guardedPost) and
 * deadline PARLEY_COMMAND_TIMEOUT_MS, then say the answer: to the user
 * alone (the text is handed back for their tab), or in the room through
 * act(), the socket's own send path, as the user who ran it with the via
 * "/name" (so policy applies as to anything they type: an archived room or
 * a muted member refuses it).
 *
 * Every outcome is a sentence for the user; only `text: null` says nothing.
 */
export type RunOutcome = { ok: true; text: string | null } | { ok: false; error: string };

export type RunDeps = { db: Kysely<Database>; realtime: Realtime };

export async function runCustomCommand(
  deps: RunDeps,
  user: WireUser,
  input: { roomId: string; name: string; args: string },
): Promise<RunOutcome> {
  const { db, realtime } = deps;
  const runtime: Runtime = realtime.runtime;
  const command = await createCommandStore(db).findByName(input.name);
  if (!command) return { ok: false, error: unknownCommand(input.name) };
  const [room, standing] = await Promise.all([
    db
      .selectFrom("room")
      .select(["id", "slug", "name"])
      .where("id", "=", input.roomId)
      .executeTakeFirst(),
    runtime.storage.roomAdmin.standing(input.roomId, user.id),
  ]);
  // Someone outside the room learns nothing of it, and sends nothing about it.
  if (!room || !standing.roomRole) {
    return { ok: false, error: "Join this room to run commands in it." };
  }
  const wait = actorLimitsOf(realtime).take(`command:${user.id}`);
  if (wait > 0) {
    runtime.metrics.rateLimited.inc();
    return {
      ok: false,
      error: `Slow down: try /${command.name} again in ${Math.ceil(wait / 1000)} s.`,
    };
  }
  const body = commandRequestBody(command.name, input.args, user, room, Date.now());
  const outcome = await guardedPost(
    command.url,
    body,
    { ...signedHeaders(command.secret, body), "x-parley-command": `/${command.name}` },
    {
      allowHosts: runtime.config.webhooks.allowHosts,
      timeoutMs: runtime.config.commands.timeoutMs,
    },
  );
  if (!outcome.ok) {
    runtime.log.warn("slash command unreachable", {
      command: command.name,
      reason: outcome.reason,
    });
    return { ok: false, error: unreachableAnswer(command.name, outcome) };
  }
  const answer = commandAnswer(command.name, outcome.status, outcome.body);
  if (answer.kind === "failed") return { ok: false, error: answer.error };
  if (answer.kind === "silent") return { ok: true, text: null };
  if (command.response === "ephemeral") return { ok: true, text: answer.text };
  const posted = await act(
    realtime,
    user,
    {
      type: "send",
      v: PROTOCOL_VERSION,
      roomId: room.id,
      clientId: randomUUID(),
      text: answer.text,
    },
    `command-post:${user.id}`,
    { via: { webhook: `/${command.name}` } },
  );
  if (posted.ok) return { ok: true, text: null };
  return {
    ok: false,
    error: `/${command.name} answered, but its answer was not posted: ${posted.error.message}.`,
  };
}

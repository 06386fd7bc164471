import type { ChangeResult } from "../../ports";
import type { ServerFrame } from "../../protocol/frames";
import { type Effect, refusalReply } from "./shared";

/**
 * The effects of a change to one message (edit, delete, react): published
 * to everyone, sender included; then the blobs of the files it removed go.
 */
export function changed(roomId: string, result: ChangeResult): Effect[] {
  if (!result.ok) {
    return result.reason === "refused"
      ? refusalReply(result.refusal)
      : refusalReply({ ok: false, code: "not_found", message: "no such message" });
  }
  const updated: ServerFrame = { type: "updated", message: result.message };
  const effects: Effect[] = [{ kind: "publish", roomId, frame: updated, exceptSelf: false }];
  if (result.forgotten?.length) effects.push({ kind: "forget_blobs", keys: result.forgotten });
  return effects;
}

import type { ChangeResult } from "../../ports";
import type { ServerFrame } from "../../protocol/frames";
import { type Effect, refusalReply } from "./shared";

/** The effects of a change to one message (edit, delete, react): published to everyone, sender included. */
export function changed(roomId: string, result: ChangeResult): Effect[] {
  if (!result.ok) {
    return result.reason === "refused"
      ? refusalReply(result.refusal)
      : refusalReply({ ok: false, code: "not_found", message: "no such message" });
  }
  const updated: ServerFrame = { type: "updated", message: result.message };
  return [{ kind: "publish", roomId, frame: updated, exceptSelf: false }];
}

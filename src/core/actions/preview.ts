import type { WireMessage } from "../../protocol/frames";
import { firstLink } from "../first-link";
import type { Effect } from "./shared";

/**
 * The effect that asks for a preview of a message just stored: its first
 * http(s) link, if it has one (send and reply both end with it).
 */
export function previewOf(message: WireMessage): Effect[] {
  const url = firstLink(message.text);
  if (!url) return [];
  const { roomId, id: messageId } = message;
  return [{ kind: "preview", op: "make", roomId, messageId, authorId: message.author.id, url }];
}

import { type RefObject, useCallback, useRef, useState } from "react";
import type { WireMessage } from "../../protocol/frames";

/** Which message the Up arrow asked to edit; `count` changes on every ask. */
export type EditRequest = { messageId: string; count: number };

/**
 * Up arrow in an empty composer edits the author's last message still in
 * `messages` (the room's log, or a thread's replies); when that edit ends,
 * focus goes back to the composer (`inputRef`). Shared by the room and the
 * thread so both behave alike.
 */
export function useEditLast(
  messages: readonly WireMessage[],
  userId: string,
  connected: boolean,
): {
  editRequest: EditRequest | null;
  editLast: () => boolean;
  onEditEnd: () => void;
  inputRef: RefObject<HTMLTextAreaElement | null>;
} {
  const [editRequest, setEditRequest] = useState<EditRequest | null>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  /** False when there is nothing to edit, so the arrow keeps its usual meaning. */
  function editLast(): boolean {
    if (!connected) return false;
    const mine = messages.findLast((m) => m.author.id === userId && !m.deleted);
    if (!mine) return false;
    setEditRequest((last) => ({ messageId: mine.id, count: (last?.count ?? 0) + 1 }));
    return true;
  }
  const onEditEnd = useCallback(() => inputRef.current?.focus(), []);
  return { editRequest, editLast, onEditEnd, inputRef };
}

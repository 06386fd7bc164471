import { type RefObject, useCallback, useRef, useState } from "react";
import type { WireMessage } from "../../protocol/frames";

/**
 * Which message the Up arrow asked to edit; `count` is unique to each ask,
 * page-wide (the room's and a thread's asks never share one), so a message
 * can tell an ask it already took from a new one.
 */
export type EditRequest = { messageId: string; count: number };

let asks = 0;
const taken = new Set<number>();

/**
 * Whether the ask numbered `count` is new, marking it taken. A message
 * item that mounts again (its list re-keyed by a moved unread divider or a
 * new day) still sees the last ask in its props: it must not reopen an
 * editor that was closed long ago.
 */
export function takeEditRequest(count: number): boolean {
  if (taken.has(count)) return false;
  taken.add(count);
  return true;
}

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
    setEditRequest({ messageId: mine.id, count: ++asks });
    return true;
  }
  const onEditEnd = useCallback(() => inputRef.current?.focus(), []);
  return { editRequest, editLast, onEditEnd, inputRef };
}

import { useEffect } from "react";
import type { ChatClient } from "../chat-client";
import { useChatSelector } from "./chat-context";

const READ_DELAY_MS = 300;

/**
 * Moves the room's read marker while the reader can actually see the newest
 * message: the tab is visible and the log is scrolled to the bottom.
 * Re-checks on new messages, on reaching the bottom, when the tab becomes
 * visible and when the socket's room state arrives; debounced so a burst of
 * messages sends one read frame.
 */
export function useReadMarker(
  client: ChatClient | null,
  roomId: string,
  atBottom: boolean,
  latestSeq: number,
) {
  const summary = useChatSelector((c) => c.roomSummary(roomId), undefined);
  const ready = useChatSelector((c) => c.user !== null && c.status === "connected", false);
  // -1: the client does not know this room's marker (joined after connecting).
  const unread = summary ? summary.lastSeq - summary.lastReadSeq : -1;

  useEffect(() => {
    if (!client || !ready || !atBottom || latestSeq === 0 || unread === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = () => {
      clearTimeout(timer);
      if (document.visibilityState !== "visible") return;
      // Not awaited: a refused read is not shown (see ChatClient.markRead).
      timer = setTimeout(() => void client.markRead(roomId), READ_DELAY_MS);
    };
    schedule();
    document.addEventListener("visibilitychange", schedule);
    return () => {
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", schedule);
    };
  }, [client, ready, roomId, atBottom, latestSeq, unread]);
}

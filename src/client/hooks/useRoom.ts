import { useCallback, useEffect, useMemo, useState } from "react";
import type { RoomSummary, WireMessage } from "../../protocol/frames";
import { historyFn, PAGE_SIZE } from "../../server/fns/rooms";
import type { RoomView } from "../chat-client";
import { useChatClient, useChatSelector } from "./chat-context";

const noPins: WireMessage[] = [];

/**
 * A room's live conversation: starts from the server-rendered page and hands
 * it to the chat client, which keeps it in seq order, resumes and fills
 * gaps; adds older pages on demand.
 */
export function useRoom(
  roomId: string,
  initial: WireMessage[],
  lastSeq: number,
  summary?: RoomSummary,
  /** The room's pinned messages from the page's loader. */
  pinned: WireMessage[] = noPins,
) {
  const client = useChatClient();
  const fallback = useMemo<RoomView>(
    () => ({
      messages: initial,
      pending: [],
      members: [],
      memberCount: 0,
      moreMembers: false,
      typing: [],
      replaying: false,
      pinned,
      unresolved: [],
    }),
    [initial, pinned],
  );
  const view = useChatSelector((c) => c.roomView(roomId), fallback);
  const [hasOlder, setHasOlder] = useState((initial[0]?.seq ?? 1) > 1);
  const [loadingOlder, setLoadingOlder] = useState(false);

  useEffect(() => {
    client?.open(roomId, initial, lastSeq, summary, pinned);
  }, [client, roomId, initial, lastSeq, summary, pinned]);

  useEffect(() => setHasOlder((initial[0]?.seq ?? 1) > 1), [initial]);

  const loadOlder = useCallback(async () => {
    const first = view.messages[0];
    if (!first || loadingOlder || first.seq <= 1) return;
    setLoadingOlder(true);
    try {
      const page = await historyFn({ data: { roomId, beforeSeq: first.seq } });
      client?.addOlder(roomId, page);
      setHasOlder(page.length >= PAGE_SIZE && (page[0]?.seq ?? 1) > 1);
    } finally {
      setLoadingOlder(false);
    }
  }, [client, roomId, view.messages, loadingOlder]);

  // The log may already reach seq 1 (a page opened around a search hit in a
  // room the client was already holding).
  const reachesStart = (view.messages[0]?.seq ?? 1) <= 1;
  // A large room's member list comes in pages (issue 16): the panel asks for the next.
  const loadMoreMembers = useCallback(() => client?.loadMoreMembers(roomId), [client, roomId]);
  return {
    ...view,
    hasOlder: hasOlder && !reachesStart,
    loadingOlder,
    loadOlder,
    loadMoreMembers,
    client,
  };
}

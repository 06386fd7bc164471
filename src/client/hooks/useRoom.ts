import { useCallback, useEffect, useRef, useState } from "react";
import type { WireMessage } from "../../protocol/frames";
import { historyFn, newerFn, PAGE_SIZE } from "../../server/fns/rooms";
import { mergeBySeq } from "../messages";
import { useChatSocket } from "./socket-context";

export type PendingSend = { clientId: string; text: string; failed: string | null };

/**
 * A room's live conversation: starts from the server-rendered page, merges
 * live frames and acks by seq, catches up after reconnects, resends
 * unacknowledged messages, and loads older pages on demand.
 */
export function useRoom(roomId: string, initial: WireMessage[]) {
  const socket = useChatSocket();
  const [messages, setMessages] = useState<WireMessage[]>(initial);
  const [pending, setPending] = useState<PendingSend[]>([]);
  const [hasOlder, setHasOlder] = useState(initial.length >= PAGE_SIZE);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const latest = useRef({ messages, pending });
  latest.current = { messages, pending };

  useEffect(() => {
    setMessages(initial);
    setPending([]);
    setHasOlder(initial.length >= PAGE_SIZE);
  }, [initial]);

  useEffect(() => {
    if (!socket) return;
    const merge = (incoming: WireMessage[]) =>
      setMessages((current) => mergeBySeq(current, incoming));
    const catchUp = async () => {
      const last = latest.current.messages.at(-1)?.seq ?? 0;
      merge(await newerFn({ data: { roomId, afterSeq: last } }));
    };
    const onReady = (rooms: { id: string }[]) => {
      if (!rooms.some((room) => room.id === roomId)) socket.send({ type: "subscribe", roomId });
      void catchUp().catch(() => undefined);
      for (const item of latest.current.pending) {
        if (!item.failed)
          socket.send({ type: "send", roomId, clientId: item.clientId, text: item.text });
      }
    };
    const unsubscribe = socket.onFrame((frame) => {
      switch (frame.type) {
        case "ready":
          onReady(frame.rooms);
          return;
        case "message":
          if (frame.message.roomId === roomId) merge([frame.message]);
          return;
        case "ack":
          if (frame.message.roomId !== roomId) return;
          merge([frame.message]);
          setPending((list) => list.filter((item) => item.clientId !== frame.clientId));
          return;
        case "error":
          if (!frame.clientId) return;
          setPending((list) =>
            list.map((item) =>
              item.clientId === frame.clientId ? { ...item, failed: frame.message } : item,
            ),
          );
          return;
      }
    });
    // The socket may already be up when this room mounts (client navigation).
    if (socket.status === "connected") socket.send({ type: "subscribe", roomId });
    return unsubscribe;
  }, [socket, roomId]);

  const send = useCallback(
    (text: string) => {
      const clientId = crypto.randomUUID();
      setPending((list) => [...list, { clientId, text, failed: null }]);
      socket?.send({ type: "send", roomId, clientId, text });
    },
    [socket, roomId],
  );

  const retry = useCallback(
    (clientId: string) => {
      const item = latest.current.pending.find((p) => p.clientId === clientId);
      if (!item) return;
      setPending((list) => list.map((p) => (p.clientId === clientId ? { ...p, failed: null } : p)));
      socket?.send({ type: "send", roomId, clientId, text: item.text });
    },
    [socket, roomId],
  );

  const loadOlder = useCallback(async () => {
    const first = latest.current.messages[0];
    if (!first || loadingOlder) return;
    setLoadingOlder(true);
    try {
      const page = await historyFn({ data: { roomId, beforeSeq: first.seq } });
      setMessages((current) => mergeBySeq(current, page));
      setHasOlder(page.length >= PAGE_SIZE);
    } finally {
      setLoadingOlder(false);
    }
  }, [roomId, loadingOlder]);

  return { messages, pending, send, retry, loadOlder, hasOlder, loadingOlder };
}

import { useNavigate, useRouter } from "@tanstack/react-router";
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useState,
  useSyncExternalStore,
} from "react";
import { sessionEndedSearch } from "../../core/safe-next";
import type { ErrorCode, RoomSummary, WireUser } from "../../protocol/frames";
import { ChatClient } from "../chat-client";
import { browserNoticeEnv, startDesktopNotify } from "../desktop-notify";
import { browserOutbox } from "../outbox";
import { ChatSocket, type ConnectionStatus, sessionStateFromServer, socketUrl } from "../socket";
import { startVisibilityReports } from "../visibility";

const ChatContext = createContext<ChatClient | null>(null);

/** Owns the tab's one chat client (and socket) while the signed-in layout is mounted. */
export function ChatProvider({ user, children }: { user: WireUser; children: ReactNode }) {
  const [client, setClient] = useState<ChatClient | null>(null);
  const navigate = useNavigate();
  const router = useRouter();
  useEffect(() => {
    const socket = new ChatSocket(socketUrl(window.location), undefined, {
      checkSession: sessionStateFromServer,
    });
    const created = new ChatClient(socket, browserOutbox(user.id));
    // Issue 13: tell the server whether this tab is looking; show its notify frames when hidden.
    const stopVisibility = startVisibilityReports(socket);
    const stopNotices = startDesktopNotify(
      socket,
      browserNoticeEnv((path) => router.history.push(path)),
    );
    // The session is gone (signed out elsewhere, revoked, deleted): the
    // socket has stopped for good; ask the person to sign in again.
    const stopWatching = socket.onStatus((status) => {
      if (status === "ended" && socket.endedReason === "deactivated") {
        void navigate({ to: "/sign-in", search: { reason: "deactivated" }, replace: true });
      } else if (status === "ended") {
        // Back to this page after signing in again (see core/safe-next).
        const search = sessionEndedSearch(router.state.location.href);
        void navigate({ to: "/sign-in", search, replace: true });
      }
    });
    created.start();
    setClient(created);
    return () => {
      stopWatching();
      stopVisibility();
      stopNotices();
      created.stop();
    };
  }, [user.id, navigate, router]);
  return <ChatContext.Provider value={client}>{children}</ChatContext.Provider>;
}

/** The tab's chat client; null during server rendering and the first client render. */
export function useChatClient(): ChatClient | null {
  return useContext(ChatContext);
}

const noop = () => () => {};

/** Re-renders with whatever the selector reads from the client (stable snapshots only). */
export function useChatSelector<T>(select: (client: ChatClient) => T, fallback: T): T {
  const client = useChatClient();
  return useSyncExternalStore(
    client?.subscribe ?? noop,
    () => (client ? select(client) : fallback),
    () => fallback,
  );
}

const noRooms: RoomSummary[] = [];

/** The connection status for the status badge. */
export function useConnectionStatus(): ConnectionStatus {
  return useChatSelector((c) => c.status, "connecting");
}

/**
 * The latest refusal that answered none of the page's actions (see
 * ChatClient.onRefusal), until dismissed.
 */
export function useStrayRefusal(): {
  refusal: { code: ErrorCode; at: number } | null;
  dismiss: () => void;
} {
  const client = useChatClient();
  const [refusal, setRefusal] = useState<{ code: ErrorCode; at: number } | null>(null);
  useEffect(() => client?.onRefusal(({ code }) => setRefusal({ code, at: Date.now() })), [client]);
  const dismiss = useCallback(() => setRefusal(null), []);
  return { refusal, dismiss };
}

/** The user's rooms with live unread state (empty until the socket is ready). */
export function useLiveRooms(): RoomSummary[] {
  return useChatSelector((c) => c.rooms(), noRooms);
}

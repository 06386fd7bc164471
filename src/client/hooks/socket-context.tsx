import { createContext, type ReactNode, useContext, useEffect, useState } from "react";
import { ChatSocket, type ConnectionStatus, socketUrl } from "../socket";

const SocketContext = createContext<ChatSocket | null>(null);

/** Owns the tab's one socket for as long as the signed-in layout is mounted. */
export function ChatSocketProvider({ children }: { children: ReactNode }) {
  const [socket, setSocket] = useState<ChatSocket | null>(null);
  useEffect(() => {
    const created = new ChatSocket(socketUrl(window.location));
    created.start();
    setSocket(created);
    return () => created.stop();
  }, []);
  return <SocketContext.Provider value={socket}>{children}</SocketContext.Provider>;
}

/** The tab's socket; null during server rendering and the first client render. */
export function useChatSocket(): ChatSocket | null {
  return useContext(SocketContext);
}

/** The socket's connection status, re-rendering on change. */
export function useConnectionStatus(): ConnectionStatus {
  const socket = useChatSocket();
  const [status, setStatus] = useState<ConnectionStatus>(socket?.status ?? "connecting");
  useEffect(() => {
    if (!socket) return;
    setStatus(socket.status);
    return socket.onStatus(setStatus);
  }, [socket]);
  return status;
}

import type { WireUser } from "../../protocol/frames";

declare module "crossws" {
  interface PeerContext {
    /** The signed-in user, set by the upgrade hook. */
    user: WireUser;
    /** The client's IP as counted for connection caps. */
    ip: string;
    /** The handshake's request id, on every log line of this socket. */
    requestId: string;
    /** The session the socket lives on: it closes when that ends. */
    session: { token: string; expiresAt: number };
    /** Frees the socket's admission slot (idempotent; also run when the TCP socket closes). */
    release: () => void;
    /** Frees the socket's place among the connects being set up (idempotent): run once `ready` is sent. */
    connected: () => void;
  }
}

import type { ClientFrame, ServerFrame } from "../protocol/frames";

/** What visibility reports need of the socket (ChatSocket has both). */
export type VisibilitySocket = {
  send(frame: ClientFrame): boolean;
  onFrame(listener: (frame: ServerFrame) => void): () => void;
};

/** What they need of the page: document, in the browser. */
export type VisibilityDocument = {
  readonly visibilityState: DocumentVisibilityState;
  addEventListener(type: "visibilitychange", listener: () => void): void;
  removeEventListener(type: "visibilitychange", listener: () => void): void;
};

/** The frame that tells the server whether this tab is being looked at. */
export function visibilityFrame(state: DocumentVisibilityState): ClientFrame {
  return { type: "visibility", visible: state === "visible" };
}

/**
 * Tells the server this tab's visibility (issue 13) on every `ready` (a new
 * socket starts as hidden on the server, so each reconnect reports again)
 * and on each visibilitychange. A user with a visible tab anywhere gets no
 * desktop or push notification. Returns the stop.
 */
export function startVisibilityReports(
  socket: VisibilitySocket,
  doc: VisibilityDocument = document,
): () => void {
  // Sent while disconnected, it is dropped: the next ready reports again.
  const report = () => socket.send(visibilityFrame(doc.visibilityState));
  const stopFrames = socket.onFrame((frame) => {
    if (frame.type === "ready") report();
  });
  doc.addEventListener("visibilitychange", report);
  return () => {
    stopFrames();
    doc.removeEventListener("visibilitychange", report);
  };
}

import { useEffect, useRef } from "react";
import { backoffDelay } from "../backoff";
import { useConnectionStatus } from "./chat-context";

/** The backstop's first and longest wait between retries (ms). */
const FIRST_RETRY_MS = 2_000;
const MAX_RETRY_MS = 10_000;

/**
 * Calls `retry` when the connection is likely back, so a page that could not
 * load recovers by itself, with no reload: when the chat socket turns
 * connected (inside the signed-in layout), when the browser fires
 * `online`, and as a backstop on a growing timer (pages outside a chat
 * client have no socket to watch, and a socket can reconnect before the
 * page's own request would have succeeded).
 */
export function useRetryWhenBack(retry: () => void): void {
  const latest = useRef(retry);
  latest.current = retry;
  const status = useConnectionStatus();
  const previous = useRef(status);

  // On the turn to connected only: a page mounted while connected waits for
  // the timer, so a page that fails again at once cannot retry in a loop.
  useEffect(() => {
    const was = previous.current;
    previous.current = status;
    if (status === "connected" && was !== "connected") latest.current();
  }, [status]);

  useEffect(() => {
    const again = () => latest.current();
    window.addEventListener("online", again);
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout>;
    const schedule = () => {
      // Half fixed, half jitter: many tabs do not all retry at once.
      const ceiling = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** attempt++);
      timer = setTimeout(
        () => {
          latest.current();
          schedule();
        },
        ceiling / 2 + backoffDelay(0, Math.random, ceiling / 2, ceiling / 2),
      );
    };
    schedule();
    return () => {
      window.removeEventListener("online", again);
      clearTimeout(timer);
    };
  }, []);
}

import { encodeClientFrame } from "../protocol/client-encode";
import { type ClientFrame, type ServerFrame, serverFrame } from "../protocol/frames";
import { backoffDelay, GOOD_CONNECTION_MS } from "./backoff";

/** How often the client checks the connection, and how long it waits for any answer. */
export const PING_MS = 25_000;
export const PONG_WAIT_MS = 10_000;

export type ConnectionStatus = "connecting" | "connected" | "reconnecting" | "offline";

type Listener = (frame: ServerFrame) => void;

/**
 * One reconnecting websocket per tab. Reconnects with capped, jittered
 * backoff; at once when the browser comes back online or the tab becomes
 * visible. Frames sent while disconnected are dropped here: callers keep
 * their own pending state and resend on `ready`.
 */
export class ChatSocket {
  status: ConnectionStatus = "connecting";
  #ws: WebSocket | undefined;
  #attempt = 0;
  #openedAt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  #pinger: ReturnType<typeof setInterval> | undefined;
  #lastHeard = 0;
  readonly #frameListeners = new Set<Listener>();
  readonly #statusListeners = new Set<(status: ConnectionStatus) => void>();

  /**
   * `open` makes the WebSocket: the browser's by default; tests in Node pass
   * one that sets a cookie header.
   */
  constructor(
    readonly url: string,
    readonly open: (url: string) => WebSocket = (u) => new WebSocket(u),
  ) {}

  start(): void {
    this.#stopped = false;
    if (typeof window !== "undefined") {
      window.addEventListener("online", this.#reconnectNow);
      document.addEventListener("visibilitychange", this.#onVisible);
    }
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#pinger);
    clearTimeout(this.#timer);
    if (typeof window !== "undefined") {
      window.removeEventListener("online", this.#reconnectNow);
      document.removeEventListener("visibilitychange", this.#onVisible);
    }
    this.#ws?.close(1000, "page closed");
    this.#ws = undefined;
  }

  /** Drops the connection as if the network failed (tests and "Reconnect now"). */
  drop(): void {
    const ws = this.#ws;
    if (!ws) return;
    ws.onclose = null;
    ws.close(4000, "dropped by client");
    this.#closed(ws);
  }

  get isOpen(): boolean {
    return this.#ws?.readyState === 1;
  }

  /** Sends a frame; false when the socket is not open (the caller retries on ready). */
  send(frame: ClientFrame): boolean {
    if (this.#ws?.readyState !== 1) return false;
    this.#ws.send(encodeClientFrame(frame));
    return true;
  }

  onFrame(listener: Listener): () => void {
    this.#frameListeners.add(listener);
    return () => this.#frameListeners.delete(listener);
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  #setStatus(status: ConnectionStatus) {
    if (this.status === status) return;
    this.status = status;
    for (const listener of this.#statusListeners) listener(status);
  }

  #connect = () => {
    clearTimeout(this.#timer);
    if (this.#stopped) return;
    const ws = this.open(this.url);
    this.#ws = ws;
    // A failed connection reports an error and then a close; the close
    // schedules the retry. (In Node's `ws`, an unheard error would throw.)
    ws.onerror = () => {};
    ws.onopen = () => {
      this.#openedAt = Date.now();
      this.#lastHeard = Date.now();
      this.#startPinging(ws);
    };
    ws.onmessage = (event) => {
      this.#lastHeard = Date.now();
      if (typeof event.data !== "string") return;
      let parsed: ReturnType<typeof serverFrame.safeParse>;
      try {
        parsed = serverFrame.safeParse(JSON.parse(event.data));
      } catch {
        return;
      }
      if (!parsed.success) return;
      if (parsed.data.type === "ready") this.#setStatus("connected");
      for (const listener of this.#frameListeners) listener(parsed.data);
    };
    ws.onclose = () => this.#closed(ws);
  };

  /** After a close (or a socket declared dead): schedule the reconnect. */
  #closed(ws: WebSocket) {
    if (this.#ws !== ws) return;
    clearInterval(this.#pinger);
    this.#ws = undefined;
    if (this.#stopped) return;
    if (this.#openedAt && Date.now() - this.#openedAt >= GOOD_CONNECTION_MS) this.#attempt = 0;
    this.#openedAt = 0;
    const offline = typeof navigator !== "undefined" && navigator.onLine === false;
    this.#setStatus(offline ? "offline" : "reconnecting");
    this.#timer = setTimeout(this.#connect, backoffDelay(this.#attempt++));
  }

  /**
   * A socket can die without a close event (a laptop sleeps, a proxy drops
   * state). Every PING_MS the client pings; when nothing at all has been
   * heard for PING_MS + PONG_WAIT_MS, the socket counts as dead.
   */
  #startPinging(ws: WebSocket) {
    clearInterval(this.#pinger);
    this.#pinger = setInterval(() => {
      if (this.#ws !== ws) return;
      if (Date.now() - this.#lastHeard > PING_MS + PONG_WAIT_MS) {
        // A dead socket may never finish a closing handshake: stop
        // listening to it and reconnect now.
        ws.onclose = null;
        ws.close(4000, "no pong");
        this.#closed(ws);
        return;
      }
      this.send({ type: "ping" });
    }, PING_MS);
  }

  #reconnectNow = () => {
    if (this.#stopped || this.#ws) return;
    this.#attempt = 0;
    this.#connect();
  };

  #onVisible = () => {
    if (document.visibilityState === "visible") this.#reconnectNow();
  };
}

/** The /_ws URL on the page's own origin. */
export function socketUrl(location: Location): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/_ws`;
}

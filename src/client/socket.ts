import { encodeClientFrame } from "../protocol/client-encode";
import { type ClientFrame, type ServerFrame, serverFrame } from "../protocol/frames";
import { backoffDelay, GOOD_CONNECTION_MS } from "./backoff";

/** How often the client checks the connection, and how long it waits for any answer. */
export const PING_MS = 25_000;
export const PONG_WAIT_MS = 10_000;
/** A connect attempt that has not opened by then is abandoned and retried. */
export const CONNECT_TIMEOUT_MS = 5_000;
/**
 * From this many failed attempts in a row on, each try first asks the
 * session endpoint over HTTP and opens a WebSocket only when it answers.
 */
export const SESSION_CHECK_AFTER_FAILURES = 2;

/** `ended`: the session is gone (signed out, revoked, deleted); the socket stopped for good. */
export type ConnectionStatus = "connecting" | "connected" | "reconnecting" | "offline" | "ended";

/** What the session endpoint says: `unknown` when it could not be asked (the server is down). */
export type SessionState = "signed-in" | "signed-out" | "unknown";

export type ChatSocketOptions = {
  /**
   * Asks the server whether the session still exists. A browser cannot see
   * why an upgrade failed (a 401 and a refused connection both close with
   * 1006), so after a close 4001 or repeated failed attempts the socket asks
   * this before it tries again, and stops for good on `signed-out`. Without
   * it, the socket retries WebSockets blindly and never stops.
   */
  checkSession?: () => Promise<SessionState>;
};

type Listener = (frame: ServerFrame) => void;

/**
 * One reconnecting websocket per tab. Reconnects with capped, jittered
 * backoff; at once when the browser comes back online or the tab becomes
 * visible. An attempt that has not opened within CONNECT_TIMEOUT_MS is
 * abandoned; after failed attempts it probes over HTTP first (see
 * `checkSession`) and stops for good when the session has ended. Frames
 * sent while disconnected are dropped here: callers keep their own
 * pending state and resend on `ready`.
 */
export class ChatSocket {
  status: ConnectionStatus = "connecting";
  /** Why the socket ended: "deactivated" after a close 4003 (issue 14), else null. */
  endedReason: "deactivated" | null = null;
  #ws: WebSocket | undefined;
  #attempt = 0;
  /** Attempts in a row that never opened. */
  #failures = 0;
  #openedAt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #connectTimer: ReturnType<typeof setTimeout> | undefined;
  #probing = false;
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
    readonly options: ChatSocketOptions = {},
  ) {}

  start(): void {
    if (this.status === "ended") return;
    this.#stopped = false;
    if (typeof window !== "undefined") {
      window.addEventListener("online", this.#reconnectNow);
      window.addEventListener("offline", this.#onOffline);
      document.addEventListener("visibilitychange", this.#onVisible);
    }
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#pinger);
    clearTimeout(this.#timer);
    clearTimeout(this.#connectTimer);
    if (typeof window !== "undefined") {
      window.removeEventListener("online", this.#reconnectNow);
      window.removeEventListener("offline", this.#onOffline);
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
    // An attempt can hang (a handshake that is never answered, or one queued
    // behind another in the browser): abandon it and retry.
    clearTimeout(this.#connectTimer);
    this.#connectTimer = setTimeout(() => {
      if (this.#ws !== ws || ws.readyState === 1) return;
      this.#abandon(ws, "connect timeout");
    }, CONNECT_TIMEOUT_MS);
    ws.onopen = () => {
      clearTimeout(this.#connectTimer);
      this.#failures = 0;
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
    ws.onclose = (event?: { code?: number }) => this.#closed(ws, event?.code);
  };

  /** Stops listening to a socket (it may never report its close) and treats it as closed. */
  #abandon(ws: WebSocket, reason: string) {
    ws.onclose = null;
    ws.onopen = null;
    ws.onmessage = null;
    try {
      ws.close(4000, reason);
    } catch {
      // Some implementations refuse to close a socket that is still connecting.
    }
    this.#closed(ws);
  }

  /** After a close (or a socket declared dead): schedule the reconnect. */
  #closed(ws: WebSocket, code?: number) {
    if (this.#ws !== ws) return;
    clearInterval(this.#pinger);
    clearTimeout(this.#connectTimer);
    this.#ws = undefined;
    if (this.#stopped) return;
    // 4003: an admin deactivated the account; no reconnect will be let in.
    if (code === 4003) {
      this.endedReason = "deactivated";
      this.stop();
      this.#setStatus("ended");
      return;
    }
    if (this.#openedAt && Date.now() - this.#openedAt >= GOOD_CONNECTION_MS) this.#attempt = 0;
    if (!this.#openedAt) this.#failures++;
    this.#openedAt = 0;
    const offline = typeof navigator !== "undefined" && navigator.onLine === false;
    this.#setStatus(offline ? "offline" : "reconnecting");
    // 4001: the server ended the session; ask at once whether it is gone.
    if (code === 4001 && this.options.checkSession) {
      this.#timer = setTimeout(this.#probe, 0);
      return;
    }
    this.#retryLater();
  }

  /**
   * The next try after the backoff delay. After failed attempts, that try is
   * an HTTP probe of the session endpoint, not a WebSocket: Chromium delays
   * every new WebSocket of a renderer process by 1 to 5 s once about a dozen
   * have failed there without a success (its per-process throttle), so
   * blind attempts through a long outage would slow the reconnect that
   * follows it. HTTP requests are not throttled so.
   */
  #retryLater() {
    const probe = this.options.checkSession && this.#failures >= SESSION_CHECK_AFTER_FAILURES;
    this.#timer = setTimeout(probe ? this.#probe : this.#connect, backoffDelay(this.#attempt++));
  }

  /**
   * Asks the session endpoint: signed out stops the socket for good; signed
   * in (the server answers) connects now; no answer waits for the next try.
   */
  #probe = async () => {
    const check = this.options.checkSession;
    if (this.#stopped || this.#ws || this.#probing || !check) return;
    this.#probing = true;
    let state: SessionState;
    try {
      state = await check();
    } catch {
      state = "unknown";
    } finally {
      this.#probing = false;
    }
    // Stopped, or connected meanwhile ("online", the tab shown again).
    if (this.#stopped || this.#ws) return;
    if (state === "signed-out") {
      this.stop();
      this.#setStatus("ended");
    } else if (state === "signed-in") {
      this.#connect();
    } else {
      this.#retryLater();
    }
  };

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
        this.#abandon(ws, "no pong");
        return;
      }
      this.send({ type: "ping" });
    }, PING_MS);
  }

  #reconnectNow = () => {
    if (this.#stopped || this.#ws || this.status === "ended") return;
    this.#attempt = 0;
    this.#connect();
  };

  /**
   * The browser went offline while the socket was down: say "Offline", not
   * "Reconnecting", until it is back ("online" reconnects at once). An open
   * socket is left alone: Chromium keeps it through a short outage, and the
   * heartbeat tells if it died.
   */
  #onOffline = () => {
    if (this.status === "reconnecting") this.#setStatus("offline");
  };

  #onVisible = () => {
    if (document.visibilityState === "visible") this.#reconnectNow();
  };
}

/**
 * Asks better-auth's session endpoint on the page's origin: `null` means
 * signed out; anything but a 200 (or no answer) means it could not tell.
 */
export async function sessionStateFromServer(): Promise<SessionState> {
  const response = await fetch("/api/auth/get-session", {
    credentials: "same-origin",
    cache: "no-store",
    headers: { accept: "application/json" },
    // A probe that hangs counts as no answer, like a connect attempt.
    signal: AbortSignal.timeout(CONNECT_TIMEOUT_MS),
  });
  if (!response.ok) return "unknown";
  const body: unknown = await response.json();
  return body === null ? "signed-out" : "signed-in";
}

/** The /_ws URL on the page's own origin. */
export function socketUrl(location: Location): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/_ws`;
}

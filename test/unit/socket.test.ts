import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  ChatSocket,
  CONNECT_TIMEOUT_MS,
  PING_MS,
  PONG_WAIT_MS,
  type SessionState,
} from "../../src/client/socket";

/** A minimal WebSocket double the ChatSocket can drive. */
class FakeWs {
  static made: FakeWs[] = [];
  readyState = 0;
  sent: string[] = [];
  closedWith: number | undefined;
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor() {
    FakeWs.made.push(this);
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  send(data: string) {
    this.sent.push(data);
  }
  close(code?: number) {
    this.closedWith = code;
    this.readyState = 3;
  }
}

/**
 * Advances fake time in small steps until the socket has made `count`
 * WebSockets, at most `within` ms; returns how long that took.
 */
function advanceUntilAttempts(count: number, within = 10_000): number {
  let waited = 0;
  while (FakeWs.made.length < count && waited < within) {
    vi.advanceTimersByTime(10);
    waited += 10;
  }
  return waited;
}

/** The socket closes the way a refused upgrade or a lost server does: a close event, 1006 unless told. */
const fail = (ws: FakeWs, code = 1006) => {
  ws.readyState = 3;
  (ws.onclose as ((e: { code: number }) => void) | null)?.({ code });
};

describe("ChatSocket heartbeat", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeWs.made = [];
  });
  afterEach(() => vi.useRealTimers());

  const start = () => {
    const socket = new ChatSocket("ws://x/_ws", () => new FakeWs() as unknown as WebSocket);
    socket.start();
    const ws = FakeWs.made[0] as FakeWs;
    ws.open();
    return { socket, ws };
  };

  it("pings while the server answers, and keeps the socket", () => {
    const { ws } = start();
    vi.advanceTimersByTime(PING_MS);
    expect(ws.sent.map((s) => JSON.parse(s).type)).toEqual(["ping"]);
    ws.onmessage?.({ data: JSON.stringify({ type: "pong" }) });
    vi.advanceTimersByTime(PING_MS);
    expect(ws.closedWith).toBeUndefined();
    expect(FakeWs.made).toHaveLength(1);
  });

  it("declares a silent socket dead and reconnects without waiting for a close event", () => {
    const { socket, ws } = start();
    // Silent since the open: the second check (at 2 * PING_MS, past
    // PING_MS + PONG_WAIT_MS) declares it dead.
    expect(2 * PING_MS).toBeGreaterThan(PING_MS + PONG_WAIT_MS);
    vi.advanceTimersByTime(2 * PING_MS);
    expect(ws.closedWith).toBe(4000);
    expect(socket.status).toBe("reconnecting");
    advanceUntilAttempts(2);
    expect(FakeWs.made).toHaveLength(2);
  });
});

describe("ChatSocket reconnects", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeWs.made = [];
  });
  afterEach(() => vi.useRealTimers());

  const make = (checkSession?: () => Promise<SessionState>) => {
    const socket = new ChatSocket("ws://x/_ws", () => new FakeWs() as unknown as WebSocket, {
      checkSession,
    });
    const statuses: string[] = [];
    socket.onStatus((status) => statuses.push(status));
    socket.start();
    return { socket, statuses };
  };
  const latest = () => FakeWs.made.at(-1) as FakeWs;

  it("abandons an attempt that has not opened within the connect timeout, and retries", () => {
    const { socket } = make();
    const hanging = latest();
    vi.advanceTimersByTime(CONNECT_TIMEOUT_MS - 1);
    expect(hanging.closedWith).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(hanging.closedWith).toBe(4000);
    expect(socket.status).toBe("reconnecting");
    // The first retry waits at most the first backoff step (500 ms).
    vi.advanceTimersByTime(500);
    expect(FakeWs.made).toHaveLength(2);
    // A late event of the abandoned socket changes nothing.
    hanging.onopen?.();
    expect(FakeWs.made).toHaveLength(2);
  });

  it("keeps an attempt that opened in time (the timeout is cleared)", () => {
    make();
    latest().open();
    vi.advanceTimersByTime(CONNECT_TIMEOUT_MS * 2);
    expect(latest().closedWith).toBeUndefined();
    expect(FakeWs.made).toHaveLength(1);
  });

  it("never waits longer than the backoff cap between attempts, however long the outage", () => {
    make();
    for (let attempt = 0; attempt < 40; attempt++) {
      const count = FakeWs.made.length;
      fail(latest());
      expect(advanceUntilAttempts(count + 1), `attempt ${attempt}`).toBeLessThanOrEqual(10_000);
      expect(FakeWs.made.length, `attempt ${attempt}`).toBe(count + 1);
    }
  });

  it("stops for good when the server closed with 4001 and the session endpoint says signed out", async () => {
    const checkSession = vi.fn(async (): Promise<SessionState> => "signed-out");
    const { socket, statuses } = make(checkSession);
    latest().open();
    fail(latest(), 4001);
    await vi.advanceTimersByTimeAsync(0);
    expect(checkSession).toHaveBeenCalledTimes(1);
    expect(socket.status).toBe("ended");
    expect(statuses.at(-1)).toBe("ended");
    const count = FakeWs.made.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeWs.made).toHaveLength(count);
    // A restart of the same socket (a remount) does not revive it either.
    socket.start();
    expect(FakeWs.made).toHaveLength(count);
  });

  it("stops for good on a close 4003 (account deactivated), without asking the session endpoint", async () => {
    const checkSession = vi.fn(async (): Promise<SessionState> => "signed-in");
    const { socket, statuses } = make(checkSession);
    latest().open();
    fail(latest(), 4003);
    await vi.advanceTimersByTimeAsync(0);
    expect(socket.status).toBe("ended");
    expect(socket.endedReason).toBe("deactivated");
    expect(statuses.at(-1)).toBe("ended");
    expect(checkSession).not.toHaveBeenCalled();
    const count = FakeWs.made.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeWs.made).toHaveLength(count);
  });

  it("keeps retrying after a 4001 when the session endpoint cannot tell (offline, server down)", async () => {
    const checkSession = vi.fn(async (): Promise<SessionState> => "unknown");
    const { socket } = make(checkSession);
    latest().open();
    fail(latest(), 4001);
    await vi.advanceTimersByTimeAsync(0);
    expect(checkSession).toHaveBeenCalledTimes(1);
    advanceUntilAttempts(2);
    expect(socket.status).toBe("reconnecting");
    expect(FakeWs.made).toHaveLength(2);
  });

  /** Like advanceUntilAttempts, letting probes (promises) settle between steps. */
  async function advanceUntilAttemptsAsync(count: number, within = 10_000): Promise<number> {
    let waited = 0;
    while (FakeWs.made.length < count && waited < within) {
      await vi.advanceTimersByTimeAsync(10);
      waited += 10;
    }
    return waited;
  }

  it("after two failed attempts probes the session endpoint instead of opening WebSockets", async () => {
    let state: SessionState = "unknown";
    const checkSession = vi.fn(async () => state);
    const { socket } = make(checkSession);
    fail(latest());
    await advanceUntilAttemptsAsync(2);
    expect(checkSession).not.toHaveBeenCalled();
    fail(latest());
    // A five-minute outage: probes at the backoff pace, no WebSocket at all.
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(FakeWs.made).toHaveLength(2);
    expect(checkSession.mock.calls.length).toBeGreaterThanOrEqual(30);
    expect(socket.status).toBe("reconnecting");
    // The server answers again: the next probe (within the cap) connects.
    state = "signed-in";
    expect(await advanceUntilAttemptsAsync(3)).toBeLessThanOrEqual(10_000);
    expect(FakeWs.made).toHaveLength(3);
    latest().open();
    latest().onmessage?.({ data: JSON.stringify({ type: "pong" }) });
    expect(socket.status).toBe("reconnecting");
  });

  it("stops for good when upgrades keep failing and the session endpoint says signed out", async () => {
    const checkSession = vi.fn(async (): Promise<SessionState> => "signed-out");
    const { socket } = make(checkSession);
    fail(latest());
    await advanceUntilAttemptsAsync(2);
    fail(latest());
    await vi.advanceTimersByTimeAsync(10_000);
    expect(checkSession).toHaveBeenCalledTimes(1);
    expect(socket.status).toBe("ended");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeWs.made).toHaveLength(2);
  });

  it("treats a probe that throws as no answer and probes again", async () => {
    const checkSession = vi
      .fn<() => Promise<SessionState>>()
      .mockRejectedValueOnce(new Error("network"))
      .mockResolvedValue("signed-in");
    make(checkSession);
    fail(latest());
    await advanceUntilAttemptsAsync(2);
    fail(latest());
    await advanceUntilAttemptsAsync(3, 30_000);
    expect(checkSession).toHaveBeenCalledTimes(2);
    expect(FakeWs.made).toHaveLength(3);
  });

  it("does not ask while attempts fail only once between good connections", async () => {
    const checkSession = vi.fn(async (): Promise<SessionState> => "signed-in");
    make(checkSession);
    for (let round = 0; round < 3; round++) {
      // Opened, then closed by a restart (1012); the first attempt after fails.
      latest().open();
      fail(latest(), 1012);
      advanceUntilAttempts(FakeWs.made.length + 1);
      fail(latest());
      advanceUntilAttempts(FakeWs.made.length + 1);
    }
    await vi.advanceTimersByTimeAsync(0);
    expect(checkSession).not.toHaveBeenCalled();
  });
});

describe("ChatSocket and the browser's offline event", () => {
  const browser = { onLine: true };
  beforeEach(() => {
    vi.useFakeTimers();
    FakeWs.made = [];
    browser.onLine = true;
    vi.stubGlobal("window", new EventTarget());
    vi.stubGlobal("document", Object.assign(new EventTarget(), { visibilityState: "visible" }));
    vi.stubGlobal("navigator", browser);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  const make = () => {
    const socket = new ChatSocket("ws://x/_ws", () => new FakeWs() as unknown as WebSocket);
    socket.start();
    const ws = FakeWs.made[0] as FakeWs;
    ws.open();
    return { socket, ws };
  };
  const goOffline = () => {
    browser.onLine = false;
    window.dispatchEvent(new Event("offline"));
  };

  it("says Offline, not Reconnecting, when the browser goes offline while the socket is down", () => {
    const { socket, ws } = make();
    fail(ws);
    expect(socket.status).toBe("reconnecting");
    goOffline();
    expect(socket.status).toBe("offline");
  });

  it("leaves an open socket's status alone when the browser goes offline (the heartbeat decides)", () => {
    const { socket } = make();
    const before = socket.status;
    expect(before).not.toBe("reconnecting");
    goOffline();
    expect(socket.status).toBe(before);
  });

  it("stops listening once stopped", () => {
    const { socket, ws } = make();
    fail(ws);
    socket.stop();
    goOffline();
    expect(socket.status).toBe("reconnecting");
  });
});

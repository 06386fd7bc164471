import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ChatSocket, PING_MS, PONG_WAIT_MS } from "../../src/client/socket";

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
    vi.advanceTimersByTime(2 * PING_MS + PONG_WAIT_MS);
    expect(ws.closedWith).toBe(4000);
    expect(socket.status).toBe("reconnecting");
    vi.advanceTimersByTime(10_000);
    expect(FakeWs.made).toHaveLength(2);
  });
});

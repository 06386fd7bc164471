import WebSocket from "ws";
import { ChatClient } from "../../src/client/chat-client";
import { memoryOutbox } from "../../src/client/outbox";
import { ChatSocket } from "../../src/client/socket";
import type { ServerFrame } from "../../src/protocol/frames";

/**
 * The product's own client logic (ChatClient + ChatSocket: resume, outbox,
 * gap filling) running in Node over `ws` with a session cookie, so fault
 * tests exercise exactly what browsers run.
 */
export function nodeChatClient(
  baseUrl: string,
  cookie: string,
  options: {
    /** Sees each new connection (e.g. its `upgrade` response behind a load balancer). */
    onSocket?: (ws: WebSocket) => void;
  } = {},
) {
  const url = `${baseUrl.replace(/^http/, "ws")}/_ws`;
  const open = (u: string) => {
    const ws = new WebSocket(u, { headers: { cookie, origin: baseUrl } });
    options.onSocket?.(ws);
    return ws as unknown as globalThis.WebSocket;
  };
  const socket = new ChatSocket(url, open);
  const client = new ChatClient(socket, memoryOutbox());
  const frames: ServerFrame[] = [];
  socket.onFrame((frame) => frames.push(frame));
  client.start();
  return { client, socket, frames };
}

/** Resolves when `check` holds, polling; rejects with `what` after the timeout. */
export async function waitFor(
  check: () => boolean,
  what: string,
  timeoutMs = 15_000,
  describe: () => string = () => "",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A small seeded PRNG (mulberry32), so a failing fault run can be replayed by its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

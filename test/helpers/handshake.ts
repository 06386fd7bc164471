// Raw-TCP websocket handshakes that hang up at chosen points (issue 18:
// F-1, F-8), and the checks that the server outlived them.
import { connect as netConnect, type Socket } from "node:net";

/** The handshake of the probe that took the server down, with optional extra header lines. */
export function handshakeRequest(host: string, extra: Record<string, string> = {}): string {
  const lines = [
    "GET /_ws HTTP/1.1",
    `Host: ${host}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
    "Sec-WebSocket-Version: 13",
    ...Object.entries(extra).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${lines.join("\r\n")}\r\n\r\n`;
}

/** When a raw handshake hangs up. */
export type HangUp =
  /** Part of the request head, then gone (the headers never end). */
  | "mid-headers"
  /** The whole request, then close at once (FIN), while the server decides. */
  | "after-request"
  /** The whole request, then reset at once (RST), while the server decides. */
  | "reset-after-request"
  /** Waits for the server's answer (101 or a refusal), then closes. */
  | "after-answer"
  /** Waits for the server's answer, then resets. */
  | "reset-after-answer";

export const HANG_UPS: readonly HangUp[] = [
  "mid-headers",
  "after-request",
  "reset-after-request",
  "after-answer",
  "reset-after-answer",
];

function hangUp(socket: Socket, reset: boolean) {
  if (reset) socket.resetAndDestroy();
  else socket.destroy();
}

/**
 * Opens a TCP connection to the server, writes a websocket handshake (with
 * `cookie` and `origin` when given) and hangs up as `how` says. Resolves
 * with the status line's code when one arrived before the hang-up (0 if
 * none), once the connection is closed; never rejects.
 */
export function abortedHandshake(
  baseUrl: string,
  how: HangUp,
  options: { cookie?: string; origin?: string; timeoutMs?: number } = {},
): Promise<number> {
  const url = new URL(baseUrl);
  const extra: Record<string, string> = {};
  if (options.cookie) extra.Cookie = options.cookie;
  if (options.origin) extra.Origin = options.origin;
  const request = handshakeRequest(url.host, extra);
  return new Promise((resolve) => {
    let status = 0;
    let received = "";
    const socket = netConnect({ host: url.hostname, port: Number(url.port) });
    // The client side has its own errors (a reset answered with a reset).
    socket.on("error", () => {});
    const timer = setTimeout(() => socket.destroy(), options.timeoutMs ?? 5_000);
    socket.once("close", () => {
      clearTimeout(timer);
      resolve(status);
    });
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("latin1");
      const match = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (match && status === 0) {
        status = Number(match[1]);
        if (how === "after-answer" || how === "reset-after-answer") {
          hangUp(socket, how === "reset-after-answer");
        }
      }
    });
    socket.once("connect", () => {
      if (how === "mid-headers") {
        socket.write(request.slice(0, Math.floor(request.length / 2)));
        hangUp(socket, false);
        return;
      }
      socket.write(request);
      if (how === "after-request") hangUp(socket, false);
      else if (how === "reset-after-request") hangUp(socket, true);
    });
  });
}

/** The value of a metric line without labels in the server's /metrics (from loopback). */
export async function metricValue(baseUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`${name} not in /metrics:\n${text}`);
  return Number(line.slice(name.length + 1));
}

/** True while the server answers /healthz with 200. */
export async function healthy(baseUrl: string): Promise<boolean> {
  try {
    return (await fetch(`${baseUrl}/healthz`)).status === 200;
  } catch {
    return false;
  }
}

/** Polls `check` until it holds or `timeoutMs` passes; resolves with its last value. */
export async function eventually<T>(
  check: () => Promise<T>,
  holds: (value: T) => boolean,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (holds(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

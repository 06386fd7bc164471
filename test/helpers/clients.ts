import { randomUUID } from "node:crypto";
import WebSocket from "ws";

/** Signs a new user up through better-auth's HTTP API; returns the session cookie. */
export async function signUp(
  baseUrl: string,
  user: { name?: string; email?: string; password?: string } = {},
): Promise<{ cookie: string; name: string; email: string }> {
  const name = user.name ?? `user-${randomUUID().slice(0, 8)}`;
  const email = user.email ?? `${name.toLowerCase()}-${randomUUID().slice(0, 6)}@example.test`;
  const response = await fetch(`${baseUrl}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify({ name, email, password: user.password ?? "correct horse battery" }),
  });
  if (!response.ok) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .find((c) => c?.startsWith("better-auth.session_token="));
  if (!cookie) throw new Error("sign-up returned no session cookie");
  return { cookie, name, email };
}

/** GETs a page as the cookie's user (opening /r/<slug> joins that room). */
export async function getPage(baseUrl: string, path: string, cookie?: string) {
  const response = await fetch(`${baseUrl}${path}`, {
    headers: cookie ? { cookie } : {},
    redirect: "manual",
  });
  return { status: response.status, headers: response.headers, html: await response.text() };
}

export type Frame = { type: string; [key: string]: unknown };

/** A test websocket client that queues every frame it receives. */
export class TestSocket {
  readonly frames: Frame[] = [];
  #waiters: { match: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  closed: Promise<{ code: number; reason: string }>;

  constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      this.frames.push(frame);
      this.#waiters = this.#waiters.filter((w) => {
        if (!w.match(frame)) return true;
        w.resolve(frame);
        return false;
      });
    });
    this.closed = new Promise((resolve) =>
      ws.on("close", (code, reason) => resolve({ code, reason: String(reason) })),
    );
  }

  /** Resolves with the first frame (already received or future) that matches. */
  next(match: (f: Frame) => boolean, timeoutMs = 5_000): Promise<Frame> {
    const seen = this.frames.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames)}`,
            ),
          ),
        timeoutMs,
      );
      this.#waiters.push({
        match,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      });
    });
  }

  send(frame: object | string) {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  close() {
    this.ws.close();
  }
}

/** Opens /_ws with the cookie (and the app's own Origin); resolves after `ready`. */
export async function connect(baseUrl: string, cookie: string): Promise<TestSocket> {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/_ws`, {
    headers: { cookie, origin: baseUrl },
  });
  const socket = new TestSocket(ws);
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
    ws.once("unexpected-response", (_req, res) =>
      reject(new Error(`upgrade refused: ${res.statusCode}`)),
    );
  });
  await socket.next((f) => f.type === "ready");
  return socket;
}

/** The HTTP status of an upgrade attempt that should be refused (or 101). */
export function upgradeStatus(baseUrl: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/_ws`, { headers });
    ws.once("unexpected-response", (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once("open", () => {
      resolve(101);
      ws.close();
    });
    ws.once("error", reject);
  });
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { connect, signUp } from "../helpers/clients";
import { closeAll } from "../helpers/integration-extra";
import { usePostgresServer } from "../helpers/postgres-server";
import { type RunningServer, startServer } from "../helpers/server";
import { postgresAvailable } from "../helpers/services";

// Issue 16, reconnect storm: connects past PARLEY_MAX_PENDING_CONNECTS, or
// while the event loop is PARLEY_SHED_LAG_MS behind, get a quick 503 with
// Retry-After instead of queueing behind the others.

type Attempt =
  | { opened: true; socket: WebSocket }
  | { opened: false; status: number; retryAfter: string | undefined };

/** One upgrade: open (after `ready`), or the refusal's status and Retry-After. */
function attempt(url: string, cookie: string | undefined): Promise<Attempt> {
  const headers: Record<string, string> = { origin: url };
  if (cookie) headers.cookie = cookie;
  const socket = new WebSocket(`${url.replace(/^http/, "ws")}/_ws`, { headers });
  return new Promise((resolve, reject) => {
    socket.on("message", (data) => {
      if (String(data).startsWith('{"type":"ready"')) resolve({ opened: true, socket });
    });
    socket.once("unexpected-response", (_request, response) => {
      resolve({
        opened: false,
        status: response.statusCode ?? 0,
        retryAfter: response.headers["retry-after"] as string | undefined,
      });
      response.resume();
      socket.terminate();
    });
    socket.once("error", (error) => {
      if (socket.readyState !== WebSocket.CLOSED) reject(error);
    });
  });
}

/** Retries until it opens (as a client's backoff would), at most `tries` times; only 503s may refuse it. */
async function until(url: string, cookie: string, tries = 500): Promise<WebSocket> {
  for (let i = 0; i < tries; i++) {
    const result = await attempt(url, cookie);
    if (result.opened) return result.socket;
    expect(result).toMatchObject({ status: 503, retryAfter: "1" });
  }
  throw new Error("never opened");
}

/** A burst of upgrades at once, then each refused one retried until in; returns how many were shed. */
async function burst(url: string, clients: number): Promise<number> {
  const users = await Promise.all(Array.from({ length: clients }, () => signUp(url)));
  const first = await Promise.all(users.map((user) => attempt(url, user.cookie)));
  const sockets: WebSocket[] = [];
  let shed = 0;
  for (const [i, result] of first.entries()) {
    if (result.opened) sockets.push(result.socket);
    else {
      shed += 1;
      expect(result).toMatchObject({ status: 503, retryAfter: "1" });
      // biome-ignore lint/style/noNonNullAssertion: one user per attempt
      sockets.push(await until(url, users[i]!.cookie));
    }
  }
  expect(sockets).toHaveLength(clients);
  for (const socket of sockets) socket.close();
  return shed;
}

/** With one place, a leaked place would turn every later attempt into a 503. */
async function placesComeBack(url: string) {
  for (let i = 0; i < 5; i++) {
    expect(await attempt(url, undefined)).toMatchObject({ opened: false, status: 401 });
  }
  const user = await signUp(url);
  await closeAll([await connect(url, user.cookie)]);
  const again = await until(url, user.cookie, 1);
  again.close();
}

describe("shedding connects on SQLite (one place, loop lag mark 1 ms)", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({
      env: { PARLEY_MAX_PENDING_CONNECTS: "1", PARLEY_SHED_LAG_MS: "1" },
    });
  });
  afterAll(() => server?.stop());

  it("every attempt of a burst opens or gets 503 with Retry-After, and all get in on retry", async () => {
    // On SQLite a connect is one macrotask, so whether any is shed depends
    // on this machine's speed: the figure is reported, not asserted.
    const shed = await burst(server.url, 40);
    console.log(`connect shedding (SQLite): ${shed} of 40 upgrades at once answered 503`);
  });

  it("a refused or finished upgrade gives its place back", async () => {
    await placesComeBack(server.url);
  });
});

const pgReady = await postgresAvailable();

describe.runIf(pgReady)("shedding connects on PostgreSQL (one place)", () => {
  // Each connect awaits PostgreSQL, so upgrades of a burst overlap.
  const server = usePostgresServer("parley_shedding", { PARLEY_MAX_PENDING_CONNECTS: "1" });

  it("a burst past the place is shed with 503 and Retry-After, and all get in on retry", async () => {
    const shed = await burst(server().url, 12);
    expect(shed).toBeGreaterThan(0);
    const metrics = await fetch(`${server().url}/metrics`).then((response) => response.text());
    expect(metrics).toMatch(/parley_upgrades_refused_total\{reason="busy"\} [1-9]/);
  });

  it("a refused or finished upgrade gives its place back", async () => {
    await placesComeBack(server().url);
  });
});

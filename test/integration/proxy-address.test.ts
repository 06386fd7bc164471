import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp, upgradeStatus } from "../helpers/clients";
import { httpFrom } from "../helpers/http-from";
import { type RunningServer, startServer } from "../helpers/server";

// F-9: behind a trusted proxy, the address is the entry the proxy added.
describe("client address behind a trusted proxy", () => {
  let server: RunningServer;
  let twoHops: RunningServer;
  beforeAll(async () => {
    [server, twoHops] = await Promise.all([
      startServer({ env: { PARLEY_TRUST_PROXY: "true", PARLEY_MAX_SOCKETS_PER_IP: "3" } }),
      startServer({
        env: {
          PARLEY_TRUST_PROXY: "true",
          PARLEY_TRUSTED_PROXY_HOPS: "2",
          PARLEY_MAX_SOCKETS_PER_IP: "3",
        },
      }),
    ]);
  });
  afterAll(() => Promise.all([server?.stop(), twoHops?.stop()]));

  const openSockets = async (target: RunningServer, forwardedFor: (i: number) => string) => {
    const { cookie } = await signUp(target.url);
    const statuses: number[] = [];
    const sockets: import("ws").WebSocket[] = [];
    for (let i = 0; i < 5; i++) {
      const { default: WebSocket } = await import("ws");
      const ws = new WebSocket(`${target.url.replace(/^http/, "ws")}/_ws`, {
        headers: { cookie, origin: target.url, "x-forwarded-for": forwardedFor(i) },
      });
      statuses.push(
        await new Promise<number>((resolve, reject) => {
          ws.once("open", () => resolve(101));
          ws.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
          ws.once("error", reject);
        }),
      );
      sockets.push(ws);
    }
    for (const ws of sockets) ws.terminate();
    return statuses;
  };

  it("counts sockets by the proxy's entry, not a spoofed leftmost one", async () => {
    // The client wrote "1.2.3.<i>"; the proxy appended the address it saw.
    const statuses = await openSockets(server, (i) => `1.2.3.${i}, 203.0.113.7`);
    expect(statuses).toEqual([101, 101, 101, 429, 429]);
  });

  it("skips the configured number of proxy hops from the right", async () => {
    const statuses = await openSockets(twoHops, (i) => `1.2.3.${i}, 198.51.100.4, 10.0.0.${i}`);
    expect(statuses).toEqual([101, 101, 101, 429, 429]);
  });

  it("does not let a spoofed entry lock a victim out", async () => {
    await openSockets(server, () => "198.51.100.99, 203.0.113.8");
    const { cookie } = await signUp(server.url);
    expect(
      await upgradeStatus(server.url, {
        cookie,
        origin: server.url,
        "x-forwarded-for": "198.51.100.99",
      }),
    ).toBe(101);
  });
});

// F-13: /metrics behind a same-host proxy.
describe("/metrics behind a trusted proxy", () => {
  let proxied: RunningServer;
  let direct: RunningServer;
  let withToken: RunningServer;
  const token = "metrics-token-0123456789";
  beforeAll(async () => {
    [proxied, direct, withToken] = await Promise.all([
      startServer({ env: { PARLEY_TRUST_PROXY: "true" } }),
      startServer(),
      startServer({ env: { PARLEY_TRUST_PROXY: "true", PARLEY_METRICS_TOKEN: token } }),
    ]);
  });
  afterAll(() => Promise.all([proxied?.stop(), direct?.stop(), withToken?.stop()]));

  it("refuses a request the proxy relayed from another machine", async () => {
    const relayed = await httpFrom(proxied.url, "/metrics", {
      headers: { "x-forwarded-for": "8.8.8.8" },
    });
    expect(relayed.status).toBe(403);
    // A spoofed loopback entry before the proxy's own does not help.
    const spoofed = await httpFrom(proxied.url, "/metrics", {
      headers: { "x-forwarded-for": "127.0.0.1, 8.8.8.8" },
    });
    expect(spoofed.status).toBe(403);
  });

  it("answers a request the proxy relayed from this machine", async () => {
    const local = await httpFrom(proxied.url, "/metrics", {
      headers: { "x-forwarded-for": "127.0.0.1" },
    });
    expect(local.status).toBe(200);
    expect(local.text).toContain("parley_open_connections");
  });

  it("answers with the token whatever the address", async () => {
    const relayed = await httpFrom(withToken.url, "/metrics", {
      headers: { "x-forwarded-for": "8.8.8.8", authorization: `Bearer ${token}` },
    });
    expect(relayed.status).toBe(200);
    const without = await httpFrom(withToken.url, "/metrics", {
      headers: { "x-forwarded-for": "127.0.0.1" },
    });
    expect(without.status).toBe(403);
  });

  it("ignores X-Forwarded-For when the proxy is not trusted (loopback socket)", async () => {
    const answer = await httpFrom(direct.url, "/metrics", {
      headers: { "x-forwarded-for": "8.8.8.8" },
    });
    expect(answer.status).toBe(200);
  });
});

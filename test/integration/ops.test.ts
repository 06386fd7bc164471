import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upgradeStatus } from "../helpers/clients";
import { joinAs, roomIdFromReady, sendAndAck } from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";

const token = "metrics-token-0123456789";
let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ env: { PARLEY_METRICS_TOKEN: token } });
});
afterAll(() => server?.stop());

describe("operations endpoints", () => {
  it("/healthz and /readyz answer 200", async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true });
  });

  it("/metrics needs the token and counts what happened", async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(403);
    expect(
      (await fetch(`${server.url}/metrics`, { headers: { authorization: "Bearer nope" } })).status,
    ).toBe(403);
    const ann = await joinAs(server.url);
    const bob = await joinAs(server.url);
    await sendAndAck(ann.socket, roomIdFromReady(ann.socket, "general"), "counted");
    await bob.socket.next((f) => f.type === "message");
    expect(await upgradeStatus(server.url, { origin: server.url })).toBe(401);
    const response = await fetch(`${server.url}/metrics`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    expect(text).toMatch(/parley_open_connections [2-9]/);
    expect(text).toMatch(/parley_frames_in_total\{type="send"\} [1-9]/);
    expect(text).toMatch(/parley_acks_total [1-9]/);
    expect(text).toMatch(/parley_upgrades_refused_total\{reason="no_session"\} [1-9]/);
    expect(text).toMatch(/parley_fanout_seconds_count [1-9]/);
    // prom-client's default process and event-loop metrics come along.
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    ann.socket.close();
    bob.socket.close();
  });

  it("pages carry the security headers and a nonce on every script", async () => {
    const response = await fetch(`${server.url}/sign-in`);
    const csp = response.headers.get("content-security-policy") ?? "";
    const nonce = csp.match(/'nonce-([^']+)'/)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBeTruthy();
    const html = await response.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    const again = await fetch(`${server.url}/sign-in`);
    expect(again.headers.get("content-security-policy")).not.toBe(csp);
  });
});

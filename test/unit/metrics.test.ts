import { describe, expect, it } from "vitest";
import { createMetrics } from "../../src/server/metrics.server";
import { metricsAllowed } from "../../src/server/metrics-access";
import { securityHeaders } from "../../src/server/security-headers";

describe("metrics", () => {
  it("renders counters with labels, gauges and a histogram in Prometheus text format", async () => {
    const metrics = createMetrics();
    metrics.framesIn.inc({ type: "send" }, 2);
    metrics.framesIn.inc({ type: "typing" });
    metrics.connections.inc({}, 3);
    metrics.connections.inc({}, -1);
    metrics.fanout.observe(0.0007);
    const text = await metrics.render();
    expect(text).toContain('parley_frames_in_total{type="send"} 2');
    expect(text).toContain('parley_frames_in_total{type="typing"} 1');
    expect(text).toContain("parley_open_connections 2");
    expect(text).toContain('parley_fanout_seconds_bucket{le="0.0005"} 0');
    expect(text).toContain('parley_fanout_seconds_bucket{le="0.001"} 1');
    expect(text).toContain("parley_fanout_seconds_count 1");
    expect(text).toContain("# TYPE parley_fanout_seconds histogram");
  });

  it("escapes label values, so a value cannot add a line", async () => {
    const metrics = createMetrics();
    metrics.upgradesRefused.inc({ reason: 'a"b\nc\\' });
    const text = await metrics.render();
    expect(text).toContain('parley_upgrades_refused_total{reason="a\\"b\\nc\\\\"} 1');
    expect(text.split("\n").filter((line) => line.startsWith("c"))).toEqual([]);
  });

  it("adds the default process and event-loop metrics", async () => {
    const text = await createMetrics().render();
    expect(text).toContain("# TYPE process_cpu_seconds_total counter");
    expect(text).toContain("process_resident_memory_bytes");
    expect(text).toContain("nodejs_eventloop_lag_seconds");
    expect(text).toContain("nodejs_heap_size_used_bytes");
    expect(text).toContain("parley_open_connections 0");
  });

  it("keeps one registry per runtime: two in one process count apart", async () => {
    const one = createMetrics();
    const two = createMetrics();
    one.acks.inc();
    one.acks.inc();
    two.acks.inc();
    expect(await one.render()).toContain("parley_acks_total 2");
    expect(await two.render()).toContain("parley_acks_total 1");
  });
});

describe("metricsAllowed", () => {
  it("without a token, allows loopback only", () => {
    const ask = (ip: string) => metricsAllowed({ token: undefined, authorization: null, ip });
    expect(ask("127.0.0.1")).toBe(true);
    expect(ask("::1")).toBe(true);
    expect(ask("::ffff:127.0.0.1")).toBe(true);
    expect(ask("10.0.0.5")).toBe(false);
    expect(ask("")).toBe(false);
    // The proxy-aware address (clientIp) of a request relayed from elsewhere.
    expect(ask("8.8.8.8")).toBe(false);
  });

  it("with a token, requires it even from loopback", () => {
    const token = "s3cret-token-0123456789";
    const ask = (authorization: string | null) =>
      metricsAllowed({ token, authorization, ip: "127.0.0.1" });
    expect(ask(`Bearer ${token}`)).toBe(true);
    expect(ask(null)).toBe(false);
    expect(ask("Bearer wrong")).toBe(false);
    expect(ask(`Bearer ${token}x`)).toBe(false);
  });
});

describe("securityHeaders", () => {
  it("forbids framing, sniffing and scripts without this request's nonce", () => {
    const headers = securityHeaders("abc");
    const csp = headers["content-security-policy"];
    expect(csp).toContain("script-src 'self' 'nonce-abc'");
    expect(csp).not.toContain("unsafe-inline'; script");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  });
});

import { describe, expect, it } from "vitest";
import { createMetrics } from "../../src/server/metrics.server";
import { metricsAllowed } from "../../src/server/metrics-access";
import { securityHeaders } from "../../src/server/security-headers";

describe("metrics", () => {
  it("renders counters with labels, gauges and a histogram in Prometheus text format", () => {
    const metrics = createMetrics();
    metrics.framesIn.inc({ type: "send" }, 2);
    metrics.framesIn.inc({ type: "typing" });
    metrics.connections.inc({}, 3);
    metrics.connections.inc({}, -1);
    metrics.fanout.observe(0.0007);
    const text = metrics.render();
    expect(text).toContain('parley_frames_in_total{type="send"} 2');
    expect(text).toContain('parley_frames_in_total{type="typing"} 1');
    expect(text).toContain("parley_open_connections 2");
    expect(text).toContain('parley_fanout_seconds_bucket{le="0.0005"} 0');
    expect(text).toContain('parley_fanout_seconds_bucket{le="0.001"} 1');
    expect(text).toContain("parley_fanout_seconds_count 1");
    expect(text).toContain("# TYPE parley_fanout_seconds histogram");
  });

  it("escapes label values", () => {
    const metrics = createMetrics();
    metrics.upgradesRefused.inc({ reason: 'a"b\nc' });
    expect(metrics.render()).toContain('parley_upgrades_refused_total{reason="a_b_c"} 1');
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

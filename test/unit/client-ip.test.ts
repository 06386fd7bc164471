import { describe, expect, it } from "vitest";
import { clientIp, isLoopback, normalizeIp, trustedForwardedFor } from "../../src/server/client-ip";

const request = (ip: string | undefined, forwardedFor?: string) => {
  const req = new Request("http://x/", {
    headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor },
  });
  return Object.assign(req, { ip });
};

describe("trustedForwardedFor", () => {
  it("takes the entry the nearest proxy added (the rightmost), not the client's", () => {
    expect(trustedForwardedFor("1.2.3.4, 203.0.113.7")).toBe("203.0.113.7");
    expect(trustedForwardedFor("203.0.113.7")).toBe("203.0.113.7");
    expect(trustedForwardedFor("127.0.0.1,8.8.8.8")).toBe("8.8.8.8");
  });

  it("skips the configured number of hops from the right", () => {
    expect(trustedForwardedFor("6.6.6.6, 198.51.100.4, 10.0.0.1", 2)).toBe("198.51.100.4");
    expect(trustedForwardedFor("6.6.6.6, 198.51.100.4, 10.0.0.1", 3)).toBe("6.6.6.6");
    // Fewer entries than hops: the first proxy the request met wrote the leftmost.
    expect(trustedForwardedFor("198.51.100.4", 2)).toBe("198.51.100.4");
  });

  it("ignores empty entries and refuses what is not an address", () => {
    expect(trustedForwardedFor(null)).toBeNull();
    expect(trustedForwardedFor("")).toBeNull();
    expect(trustedForwardedFor(" , ")).toBeNull();
    expect(trustedForwardedFor("1.2.3.4, ")).toBe("1.2.3.4");
    expect(trustedForwardedFor("1.2.3.4, not-an-ip")).toBeNull();
  });
});

describe("normalizeIp", () => {
  it("unwraps IPv4-mapped IPv6, brackets and ports", () => {
    expect(normalizeIp("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(normalizeIp("[2001:DB8::1]:443")).toBe("2001:db8::1");
    expect(normalizeIp("1.2.3.4:5678")).toBe("1.2.3.4");
    expect(normalizeIp("unknown")).toBeNull();
  });
});

describe("clientIp", () => {
  it("uses the socket's address unless the proxy is trusted", () => {
    expect(clientIp(request("127.0.0.1", "8.8.8.8"), { trustProxy: false })).toBe("127.0.0.1");
    expect(clientIp(request("::ffff:10.0.0.2"), false)).toBe("10.0.0.2");
    expect(clientIp(request(undefined), false)).toBe("unknown");
  });

  it("behind a trusted proxy, uses the proxy's entry, falling back to the socket", () => {
    const options = { trustProxy: true, trustedProxyHops: 1 };
    expect(clientIp(request("127.0.0.1", "9.9.9.9, 8.8.8.8"), options)).toBe("8.8.8.8");
    expect(clientIp(request("127.0.0.1"), options)).toBe("127.0.0.1");
    expect(clientIp(request("127.0.0.1", "garbage"), options)).toBe("127.0.0.1");
    expect(
      clientIp(request("127.0.0.1", "9.9.9.9, 8.8.8.8, 10.0.0.1"), {
        trustProxy: true,
        trustedProxyHops: 2,
      }),
    ).toBe("8.8.8.8");
  });
});

describe("isLoopback", () => {
  it("knows this machine's addresses", () => {
    expect(isLoopback("127.0.0.1")).toBe(true);
    expect(isLoopback("127.8.9.10")).toBe(true);
    expect(isLoopback("::1")).toBe(true);
    expect(isLoopback("::ffff:127.0.0.1")).toBe(true);
    expect(isLoopback("8.8.8.8")).toBe(false);
    expect(isLoopback("unknown")).toBe(false);
  });
});

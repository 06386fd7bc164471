import { describe, expect, it } from "vitest";
import { addressRefusal, isAllowedHost, urlRefusal } from "../../src/server/previews/address-guard";

// The SSRF guard's address rule (issue 12): only global unicast passes.
const allowed = [
  "8.8.8.8",
  "1.1.1.1",
  "93.184.215.14",
  "172.15.255.255", // just below 172.16/12
  "172.32.0.1", // just above it
  "100.63.255.255", // just below CGNAT
  "100.128.0.1", // just above it
  "2606:4700:4700::1111",
  "2a00:1450:4001:82a::200e",
  "::ffff:8.8.8.8", // IPv4-mapped of a public address
  "64:ff9b::808:808", // NAT64 of 8.8.8.8
  "2002:808:808::1", // 6to4 of 8.8.8.8
];

const refused: [string, RegExp][] = [
  ["127.0.0.1", /loopback/],
  ["127.255.255.254", /loopback/],
  ["10.0.0.1", /private/],
  ["10.255.255.255", /private/],
  ["172.16.0.1", /private/],
  ["172.31.255.255", /private/],
  ["192.168.1.1", /private/],
  ["169.254.0.1", /link-local/],
  ["169.254.169.254", /metadata/],
  ["100.64.0.1", /carrier-grade NAT/],
  ["100.100.100.200", /metadata/],
  ["0.0.0.0", /unspecified/],
  ["0.1.2.3", /unspecified/],
  ["255.255.255.255", /broadcast/],
  ["224.0.0.1", /multicast/],
  ["239.255.255.250", /multicast/],
  ["240.0.0.1", /reserved/],
  ["192.0.2.1", /reserved/],
  ["198.18.0.1", /reserved/],
  ["::1", /loopback/],
  ["::", /special-purpose \(unspecified\)/],
  ["fe80::1", /link-local/],
  ["febf::1", /link-local/],
  ["fc00::1", /unique-local/],
  ["fd12:3456::1", /unique-local/],
  ["fd00:ec2::254", /metadata/],
  ["ff02::1", /multicast/],
  ["::ffff:127.0.0.1", /IPv4-mapped IPv6 of 127.0.0.1, loopback/],
  ["::ffff:10.1.2.3", /IPv4-mapped IPv6 of 10.1.2.3, private/],
  ["::ffff:169.254.169.254", /IPv4-mapped IPv6 of 169.254.169.254, link-local/],
  ["::127.0.0.1", /IPv4-compatible/],
  ["::8.8.8.8", /IPv4-compatible/],
  ["::ffff:0:7f00:1", /IPv4-translated IPv6 of 127.0.0.1/],
  ["64:ff9b::7f00:1", /NAT64 of 127.0.0.1/],
  ["64:ff9b::a00:1", /NAT64 of 10.0.0.1/],
  ["64:ff9b:1::1", /local-use NAT64/],
  ["2002:7f00:1::1", /6to4 of 127.0.0.1/],
  ["2002:c0a8:101::1", /6to4 of 192.168.1.1/],
  ["2001:0:4136:e378:8000:63bf:3fff:fdd2", /Teredo/],
  ["2001:db8::1", /special-purpose/],
  ["fec0::1", /special-purpose/],
  ["not-an-address", /not an IP address/],
  ["[::1]", /loopback/],
];

describe("address guard", () => {
  it.each(allowed)("allows %s", (address) => {
    expect(addressRefusal(address)).toBeNull();
  });

  it.each(refused)("refuses %s", (address, why) => {
    expect(addressRefusal(address)).toMatch(why);
  });

  it("only http and https URLs, without credentials", () => {
    expect(urlRefusal(new URL("http://example.com/"))).toBeNull();
    expect(urlRefusal(new URL("https://example.com:8443/x"))).toBeNull();
    expect(urlRefusal(new URL("ftp://example.com/"))).toMatch(/scheme ftp:/);
    expect(urlRefusal(new URL("file:///etc/passwd"))).toMatch(/scheme file:/);
    expect(urlRefusal(new URL("gopher://127.0.0.1:6379/_INFO"))).toMatch(/scheme/);
    expect(urlRefusal(new URL("http://user:pw@example.com/"))).toMatch(/credentials/);
  });

  it("the allow list names a host (any port) or host:port, and nothing else", () => {
    const list = ["127.0.0.1:8080", "wiki.internal"];
    expect(isAllowedHost(new URL("http://127.0.0.1:8080/"), list)).toBe(true);
    expect(isAllowedHost(new URL("http://127.0.0.1:8081/"), list)).toBe(false);
    expect(isAllowedHost(new URL("http://127.0.0.1/"), list)).toBe(false);
    expect(isAllowedHost(new URL("https://WIKI.internal:444/"), list)).toBe(true);
    expect(isAllowedHost(new URL("http://wiki.internal.evil.example/"), list)).toBe(false);
    expect(isAllowedHost(new URL("http://127.0.0.1:8080/"), [])).toBe(false);
    // The default port counts as the URL's port.
    expect(isAllowedHost(new URL("http://intranet/"), ["intranet:80"])).toBe(true);
    expect(isAllowedHost(new URL("https://intranet/"), ["intranet:80"])).toBe(false);
  });

  it("URL spellings of loopback normalise to an address the guard refuses", () => {
    for (const spelled of ["http://2130706433/", "http://0x7f.1/", "http://127.1/"]) {
      expect(addressRefusal(new URL(spelled).hostname)).toMatch(/loopback/);
    }
  });
});

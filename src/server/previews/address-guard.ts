/**
 * Which addresses a link preview may connect to: a pure rule over one IP
 * address (no I/O), asked of every address a name resolves to and of every
 * hop of a redirect. Only global unicast passes; everything a server can
 * reach that a stranger should not (loopback, private networks, link-local,
 * CGNAT, cloud metadata, multicast, reserved space) is refused, for IPv4 and
 * IPv6, including IPv6 forms that carry an IPv4 address inside (mapped,
 * compatible, NAT64, 6to4), which a dual-stack socket would reach as that
 * IPv4 address.
 */
import ipaddr from "ipaddr.js";

/**
 * Cloud metadata endpoints, named apart for the log (each is also inside a
 * refused range: link-local, CGNAT, unique-local).
 */
const METADATA = new Set(["169.254.169.254", "100.100.100.200", "fd00:ec2::254"]);

/** Why an IPv4 range is refused, by ipaddr.js's range name; only "unicast" passes. */
const V4_REASONS: Record<string, string> = {
  unspecified: "unspecified (0.0.0.0/8)",
  broadcast: "broadcast",
  multicast: "multicast",
  linkLocal: "link-local (169.254/16)",
  loopback: "loopback (127/8)",
  carrierGradeNat: "carrier-grade NAT (100.64/10)",
  private: "private (10/8, 172.16/12, 192.168/16)",
  reserved: "reserved",
};

/** Whether a host (brackets or not) is an IP address rather than a name. */
export function isIpLiteral(host: string): boolean {
  return ipaddr.isValid(host.replace(/^\[|\]$/g, ""));
}

/** Why `address` may not be fetched from, or null when it may (a global unicast address). */
export function addressRefusal(address: string): string | null {
  const bare = canonical(address.replace(/^\[|\]$/g, ""));
  if (!ipaddr.isValid(bare)) return "not an IP address";
  const parsed = ipaddr.parse(bare);
  if (METADATA.has(parsed.toString())) return "a cloud metadata address";
  return parsed.kind() === "ipv4"
    ? v4Refusal(parsed as ipaddr.IPv4)
    : v6Refusal(parsed as ipaddr.IPv6);
}

/**
 * IPv6 text in the WHATWG URL form (hex only). ipaddr.js reads a dotted
 * tail such as `::127.0.0.1` (IPv4-compatible, as inet_ntop may print it)
 * as IPv4-mapped; the URL parser keeps the two apart.
 */
function canonical(address: string): string {
  if (!address.includes(":")) return address;
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address;
  }
}

function v4Refusal(address: ipaddr.IPv4): string | null {
  const range = address.range();
  if (range === "unicast") return null;
  return V4_REASONS[range] ?? `special-purpose (${range})`;
}

/** The IPv4 address in the last 32 bits of an IPv6 address. */
function lastV4(parts: number[]): ipaddr.IPv4 {
  const [hi = 0, lo = 0] = parts.slice(6);
  return new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
}

/** An IPv6 address that carries an IPv4 one: refused when that one would be. */
function embedded(kind: string, v4: ipaddr.IPv4): string | null {
  const why = v4Refusal(v4);
  return why ? `${kind} of ${v4.toString()}, ${why}` : null;
}

function v6Refusal(address: ipaddr.IPv6): string | null {
  const parts = address.parts;
  const range = address.range();
  switch (range) {
    case "unicast":
      // ::a.b.c.d (deprecated IPv4-compatible) sits in "unicast" for
      // ipaddr.js; nothing public lives in ::/96, so it is refused whole.
      if (parts.slice(0, 6).every((part) => part === 0)) return "IPv4-compatible IPv6 (::/96)";
      return null;
    case "ipv4Mapped":
      return embedded("IPv4-mapped IPv6", address.toIPv4Address());
    case "rfc6145":
      return embedded("IPv4-translated IPv6", lastV4(parts));
    case "rfc6052":
      // 64:ff9b::/96 is the well-known NAT64 prefix; 64:ff9b:1::/48 is for
      // local NAT64 deployments and could point anywhere inside.
      if (parts[2] === 0 && parts[3] === 0 && parts[4] === 0 && parts[5] === 0)
        return embedded("NAT64", lastV4(parts));
      return "local-use NAT64 (64:ff9b:1::/48)";
    case "6to4": {
      const [, hi = 0, lo = 0] = parts;
      return embedded("6to4", new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]));
    }
    case "teredo":
      // The Teredo client's IPv4 address is obfuscated in it; refused whole.
      return "Teredo (2001::/32)";
    case "loopback":
      return "loopback (::1)";
    case "linkLocal":
      return "link-local (fe80::/10)";
    case "uniqueLocal":
      return "unique-local (fc00::/7)";
    default:
      return `special-purpose (${range})`;
  }
}

/**
 * Whether the URL's host is on PARLEY_LINK_PREVIEW_ALLOW_HOSTS (lowercase
 * `host` for any port, or `host:port`): such a host may be fetched even on
 * a private or loopback address (an intranet wiki, tests). Each hop of a
 * redirect is asked on its own, so an allowed host cannot redirect past it.
 */
export function isAllowedHost(url: URL, allowHosts: readonly string[]): boolean {
  if (allowHosts.length === 0) return false;
  const host = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return allowHosts.includes(host) || allowHosts.includes(`${host}:${port}`);
}

/** Why a URL may not be fetched at all (before any look-up), or null. */
export function urlRefusal(url: URL): string | null {
  if (url.protocol !== "http:" && url.protocol !== "https:") return `scheme ${url.protocol}`;
  if (url.username || url.password) return "credentials in the URL";
  return null;
}

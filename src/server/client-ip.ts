import { isIP } from "node:net";

/** How the client's address is found: from the socket, or from our proxies' X-Forwarded-For. */
export type ClientIpOptions = {
  /** PARLEY_TRUST_PROXY: a reverse proxy of ours appends the address it saw. */
  trustProxy: boolean;
  /** PARLEY_TRUSTED_PROXY_HOPS: how many proxies of ours append an entry (1 or more). */
  trustedProxyHops?: number;
};

/** An IPv4-mapped IPv6 address (::ffff:1.2.3.4) as plain IPv4, brackets and zones dropped. */
export function normalizeIp(raw: string): string | null {
  let ip = raw.trim();
  // "[2001:db8::1]:443" or "[::1]"; "1.2.3.4:5678".
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(ip);
  if (bracketed?.[1]) ip = bracketed[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(ip)) ip = ip.slice(0, ip.lastIndexOf(":"));
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(ip);
  if (mapped?.[1]) ip = mapped[1];
  if (isIP(ip) === 0) return null;
  return ip.toLowerCase();
}

/**
 * The X-Forwarded-For entry our own proxies vouch for: counting `hops` from
 * the right (each proxy appends what it saw, so everything left of that
 * entry was written by the client and can say anything). With fewer entries
 * than hops, the leftmost (the first of our proxies the request met).
 */
export function trustedForwardedFor(header: string | null, hops = 1): string | null {
  if (!header) return null;
  const entries = header
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return null;
  const entry = entries[Math.max(0, entries.length - Math.max(1, hops))];
  return entry ? normalizeIp(entry) : null;
}

/**
 * The client's address: the socket's, or (PARLEY_TRUST_PROXY) the entry our
 * proxy added to X-Forwarded-For. Used for sign-in limits, socket caps and
 * /metrics, so all three agree on who a client is.
 */
export function clientIp(request: Request, options: ClientIpOptions | boolean): string {
  const { trustProxy, trustedProxyHops } =
    typeof options === "boolean" ? { trustProxy: options, trustedProxyHops: 1 } : options;
  const socket = (request as Request & { ip?: string }).ip;
  if (trustProxy) {
    const forwarded = trustedForwardedFor(request.headers.get("x-forwarded-for"), trustedProxyHops);
    if (forwarded) return forwarded;
  }
  return (socket && normalizeIp(socket)) || socket || "unknown";
}

const LOOPBACK = /^(127\.|::1$)/;

/** Whether a (normalized) address is this machine's. */
export function isLoopback(ip: string): boolean {
  return LOOPBACK.test(normalizeIp(ip) ?? ip);
}

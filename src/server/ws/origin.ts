/**
 * Cross-site WebSocket hijacking guard. Browsers always send Origin on a
 * websocket handshake, so a missing Origin is a non-browser client (which
 * carries no ambient cookie risk). A present Origin must be the app's own
 * origin (scheme, host and port, not the host alone: an https page must not
 * speak for a plain-http app of the same name, nor the reverse) or one of the
 * configured extras.
 */
export function isOriginAllowed(
  origin: string | null,
  ownOrigin: string | null,
  allowedOrigins: readonly string[],
): boolean {
  if (origin === null) return true;
  if (allowedOrigins.includes(origin)) return true;
  const normal = normalOrigin(origin);
  return normal !== null && ownOrigin !== null && normal === ownOrigin;
}

/**
 * The app's own origin for a request: PARLEY_PUBLIC_URL when set; otherwise
 * the request's scheme and Host, the scheme from X-Forwarded-Proto only when
 * the proxy is trusted (else https for a TLS socket, http for a plain one).
 * null when the Host header is missing or not a host.
 */
export function ownOrigin(
  request: { host: string | null; forwardedProto: string | null; encrypted: boolean },
  config: { publicUrl: string | undefined; trustProxy: boolean },
): string | null {
  if (config.publicUrl) return normalOrigin(config.publicUrl);
  const { host } = request;
  if (!host || /[/?#@\\\s]/.test(host)) return null;
  const forwarded = config.trustProxy
    ? request.forwardedProto?.split(",")[0]?.trim().toLowerCase()
    : undefined;
  const scheme =
    forwarded === "https" || forwarded === "http"
      ? forwarded
      : request.encrypted
        ? "https"
        : "http";
  return normalOrigin(`${scheme}://${host}`);
}

/** An http(s) origin in its canonical form (lower-case host, no default port), or null. */
export function normalOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    return url.origin;
  } catch {
    return null;
  }
}

/**
 * Cross-site WebSocket hijacking guard. Browsers always send Origin on a
 * websocket handshake, so a missing Origin is a non-browser client (which
 * carries no ambient cookie risk). A present Origin must be the app's own
 * host or one of the configured extras.
 */
export function isOriginAllowed(
  origin: string | null,
  host: string | null,
  allowedOrigins: readonly string[],
): boolean {
  if (origin === null) return true;
  if (allowedOrigins.includes(origin)) return true;
  try {
    return host !== null && new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

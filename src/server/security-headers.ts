/** The registered key under which a request carries its CSP nonce. */
export const NONCE_KEY = Symbol.for("parley.cspNonce");

/**
 * Headers for every page: a CSP that allows only our own scripts plus the
 * framework's inline ones carrying this request's nonce, no framing, no
 * sniffing, and no full referrers to other sites.
 */
export function securityHeaders(
  nonce: string,
  options: { https?: boolean } = {},
): Record<string, string> {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    // Tailwind ships a stylesheet; React sets a few style attributes.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  return {
    "content-security-policy": csp,
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-frame-options": "DENY",
    // Only when PARLEY_PUBLIC_URL is https: browsers then refuse plain http
    // to this host for a year (no includeSubDomains: other hosts are not ours).
    ...(options.https ? { "strict-transport-security": "max-age=31536000" } : {}),
  };
}

/**
 * Headers for uploaded files (GET /files/...) in place of the page ones:
 * a file may run nothing, load nothing and be nothing but what its type
 * says, whatever its bytes (an SVG or HTML file that a browser opens).
 */
export const FILE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": "default-src 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cross-origin-resource-policy": "same-origin",
};

/** Whether a path is an uploaded file's (its route sets its own caching and headers). */
export const isFilePath = (pathname: string) => pathname.startsWith("/files/");

/**
 * Whether an answer may be kept by a browser or proxy cache: never for
 * anything private (auth answers, server functions, room pages, any page
 * rendered for a signed-in user, who sends a session cookie). Only the
 * build's hashed, public assets stay cacheable.
 */
export function isPrivateAnswer(pathname: string, cookie: string | null): boolean {
  if (pathname.startsWith("/assets/")) return false;
  // Files are private but cacheable by the browser only (Cache-Control: private, set by their route).
  if (isFilePath(pathname)) return false;
  if (pathname.startsWith("/api/auth") || pathname.startsWith("/_serverFn")) return true;
  if (pathname === "/r" || pathname.startsWith("/r/")) return true;
  return /(^|;\s*)(__Secure-)?better-auth\.session_token=/.test(cookie ?? "");
}

/** The largest server-function request body (createRoom, history, search all fit in far less). */
export const SERVER_FN_BODY_LIMIT = 256 * 1024;

/**
 * Why a request's body must be refused before it is read (status and
 * message), or null. Server functions must declare their length (browsers
 * always do) so that the cap holds without reading; /api/auth caps its own
 * bodies as it reads them (src/server/auth/http.server.ts).
 */
export function bodyRefusal(
  pathname: string,
  method: string,
  headers: Headers,
): { status: number; message: string } | null {
  if (method === "GET" || method === "HEAD") return null;
  if (!pathname.startsWith("/_serverFn")) return null;
  const length = headers.get("content-length");
  if (length === null) {
    if (!headers.get("transfer-encoding")) return null;
    return { status: 411, message: "Server-function requests must declare a Content-Length." };
  }
  if (Number(length) > SERVER_FN_BODY_LIMIT) {
    return {
      status: 413,
      message: `Server-function requests are at most ${SERVER_FN_BODY_LIMIT / 1024} KiB.`,
    };
  }
  return null;
}

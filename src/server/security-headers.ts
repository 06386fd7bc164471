/** The registered key under which a request carries its CSP nonce. */
export const NONCE_KEY = Symbol.for("parley.cspNonce");

/**
 * Headers for every page: a CSP that allows only our own scripts plus the
 * framework's inline ones carrying this request's nonce, no framing, no
 * sniffing, and no full referrers to other sites.
 */
export function securityHeaders(nonce: string): Record<string, string> {
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
  };
}

import { randomBytes } from "node:crypto";
import { defineMiddleware } from "h3";

declare global {
  interface ImportMeta {
    /** Replaced by Nitro: true under `vite dev`. */
    readonly dev?: boolean;
  }
}

import { lingerThenCut } from "../../src/server/body-limit";
import { bodyRefusal, NONCE_KEY, securityHeaders } from "../../src/server/security-headers";

// Every response gets the security headers; the nonce rides on the request
// so the router can stamp it on the inline scripts it renders. Oversized
// server-function bodies are refused before anything reads them.
export default defineMiddleware((event) => {
  const refusal = bodyRefusal(event.url.pathname, event.req.method, event.req.headers);
  if (refusal) {
    const response = new Response(JSON.stringify({ error: refusal.message }), {
      status: refusal.status,
      headers: { "content-type": "application/json", "cache-control": "no-store" },
    });
    // The unread rest of the body is dropped, within a bound, then the connection cut.
    lingerThenCut(event.req, response.headers);
    return response;
  }
  // Vite's dev server injects inline scripts (HMR, React refresh) without
  // our nonce; the policy applies to production builds.
  if (import.meta.dev) return;
  const nonce = randomBytes(16).toString("base64");
  (event.req as unknown as Record<symbol, string>)[NONCE_KEY] = nonce;
  for (const [name, value] of Object.entries(securityHeaders(nonce))) {
    event.res.headers.set(name, value);
  }
});

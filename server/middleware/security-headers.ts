import { randomBytes } from "node:crypto";
import { defineMiddleware } from "h3";

declare global {
  interface ImportMeta {
    /** Replaced by Nitro: true under `vite dev`. */
    readonly dev?: boolean;
  }
}

import { NONCE_KEY, securityHeaders } from "../../src/server/security-headers";

// Every response gets the security headers; the nonce rides on the request
// so the router can stamp it on the inline scripts it renders.
export default defineMiddleware((event) => {
  // Vite's dev server injects inline scripts (HMR, React refresh) without
  // our nonce; the policy applies to production builds.
  if (import.meta.dev) return;
  const nonce = randomBytes(16).toString("base64");
  (event.req as unknown as Record<symbol, string>)[NONCE_KEY] = nonce;
  for (const [name, value] of Object.entries(securityHeaders(nonce))) {
    event.res.headers.set(name, value);
  }
});

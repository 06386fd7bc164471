import { randomBytes } from "node:crypto";
import { defineMiddleware } from "h3";
import { NONCE_KEY, securityHeaders } from "../../src/server/security-headers";

// Every response gets the security headers; the nonce rides on the request
// so the router can stamp it on the inline scripts it renders.
export default defineMiddleware((event) => {
  const nonce = randomBytes(16).toString("base64");
  (event.req as unknown as Record<symbol, string>)[NONCE_KEY] = nonce;
  for (const [name, value] of Object.entries(securityHeaders(nonce))) {
    event.res.headers.set(name, value);
  }
});

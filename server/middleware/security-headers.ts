import { randomBytes } from "node:crypto";
import { defineMiddleware } from "h3";

declare global {
  interface ImportMeta {
    /** Replaced by Nitro: true under `vite dev`. */
    readonly dev?: boolean;
  }
}

import { getConfig } from "../../src/env";
import { lingerThenCut } from "../../src/server/body-limit";
import {
  bodyRefusal,
  FILE_SECURITY_HEADERS,
  isFilePath,
  isPrivateAnswer,
  NONCE_KEY,
  securityHeaders,
} from "../../src/server/security-headers";

// Every response gets the security headers; the nonce rides on the request
// so the router can stamp it on the inline scripts it renders. Private
// answers are marked no-store, and oversized server-function bodies are
// refused before anything reads them.
export default defineMiddleware(async (event, next) => {
  const { pathname } = event.url;
  const refusal = bodyRefusal(pathname, event.req.method, event.req.headers);
  if (refusal) {
    const response = new Response(JSON.stringify({ error: refusal.message }), {
      status: refusal.status,
      headers: { "content-type": "application/json", "cache-control": "no-store" },
    });
    // The unread rest of the body is dropped, within a bound, then the connection cut.
    lingerThenCut(event.req, response.headers);
    return response;
  }
  const noStore = isPrivateAnswer(pathname, event.req.headers.get("cookie"));
  if (noStore) event.res.headers.set("cache-control", "no-store");
  // Vite's dev server injects inline scripts (HMR, React refresh) without
  // our nonce; the policy applies to production builds.
  if (isFilePath(pathname)) {
    // An uploaded file gets a policy of its own (nothing may run or load),
    // not the page's, and its route decides its caching.
    for (const [name, value] of Object.entries(FILE_SECURITY_HEADERS)) {
      event.res.headers.set(name, value);
    }
    return;
  }
  if (!import.meta.dev) {
    const nonce = randomBytes(16).toString("base64");
    (event.req as unknown as Record<symbol, string>)[NONCE_KEY] = nonce;
    const https = getConfig().publicUrl?.startsWith("https://") ?? false;
    for (const [name, value] of Object.entries(securityHeaders(nonce, { https }))) {
      event.res.headers.set(name, value);
    }
  }
  if (!noStore) return;
  // Server functions answer with a Response of their own, which does not
  // pick up the headers above: mark it too.
  const result = await next();
  if (!(result instanceof Response)) return result;
  try {
    result.headers.set("cache-control", "no-store");
    return result;
  } catch {
    const copy = new Response(result.body, result);
    copy.headers.set("cache-control", "no-store");
    return copy;
  }
});

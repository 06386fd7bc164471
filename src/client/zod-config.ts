import { z } from "zod";

// In the browser, zod must not compile its parsers with `new Function`:
// the CSP refuses eval (zod falls back by itself, but each refusal is a
// reported CSP violation, on every page). zod decides when a schema is
// built, so this module is imported before any other (src/router.tsx).
// The server keeps the faster compiled parsers.
if (typeof window !== "undefined") z.config({ jitless: true });

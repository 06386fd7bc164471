import { timingSafeEqual } from "node:crypto";
import { isLoopback } from "./client-ip";

/**
 * Who may read /metrics: with a token configured, only a request bearing
 * it; without one, only requests from this machine (loopback). `ip` is the
 * proxy-aware client address (clientIp), so behind a same-host proxy a
 * request relayed from elsewhere is not mistaken for a local one.
 */
export function metricsAllowed(input: {
  token: string | undefined;
  authorization: string | null;
  ip: string;
}): boolean {
  if (input.token) {
    const given = Buffer.from(input.authorization?.replace(/^Bearer\s+/i, "") ?? "");
    const wanted = Buffer.from(input.token);
    return given.length === wanted.length && timingSafeEqual(given, wanted);
  }
  return isLoopback(input.ip);
}

import { timingSafeEqual } from "node:crypto";

const loopback = /^(127\.|::1$|::ffff:127\.)/;

/**
 * Who may read /metrics: with a token configured, only a request bearing
 * it; without one, only requests from this machine (loopback).
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
  return loopback.test(input.ip);
}

import { defineHandler } from "h3";
import { clientIp } from "../../src/server/client-ip";
import { metricsAllowed } from "../../src/server/metrics-access";
import { getRuntime } from "../../src/server/runtime.server";

// Prometheus scrape endpoint, restricted to a bearer token or loopback (the
// proxy-aware address: behind a trusted proxy the socket is always loopback).
export default defineHandler(async (event) => {
  const { config, metrics } = await getRuntime();
  const allowed = metricsAllowed({
    token: config.metricsToken,
    authorization: event.req.headers.get("authorization"),
    ip: clientIp(event.req, config),
  });
  if (!allowed) {
    event.res.status = 403;
    return "forbidden\n";
  }
  event.res.headers.set("content-type", metrics.contentType);
  return metrics.render();
});

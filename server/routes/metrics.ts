import { defineHandler, getRequestIP } from "h3";
import { metricsAllowed } from "../../src/server/metrics-access";
import { getRuntime } from "../../src/server/runtime.server";

// Prometheus scrape endpoint, restricted to a bearer token or loopback.
export default defineHandler(async (event) => {
  const { config, metrics } = await getRuntime();
  const allowed = metricsAllowed({
    token: config.metricsToken,
    authorization: event.req.headers.get("authorization"),
    ip: getRequestIP(event) ?? "",
  });
  if (!allowed) {
    event.res.status = 403;
    return "forbidden\n";
  }
  event.res.headers.set("content-type", "text/plain; version=0.0.4");
  return metrics.render();
});

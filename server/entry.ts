// Production server entry (Nitro's `entry` option). We own the Node HTTP
// server so we can cap websocket frames at 64 KiB (ws maxPayload -> close
// 1009), shorten Node's slow-request timeouts, and shut down gracefully,
// none of which Nitro's node-server preset lets us configure.
import { Server as HttpServer } from "node:http";
import wsAdapter from "crossws/adapters/node";
import { serverFetch, useNitroApp } from "nitro/app";
import { NodeRequest, serve } from "srvx/node";
import { getConfig } from "../src/env";
import { MAX_FRAME_BYTES } from "../src/protocol/frames";
import { drain } from "../src/server/drain.server";
import { getRuntime } from "../src/server/runtime.server";

const config = (() => {
  try {
    return getConfig();
  } catch (error) {
    // A bad setting is the operator's to fix: say which, without a stack trace.
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
})();
const nitroApp = useNitroApp();
// Slowloris: a request's headers must arrive within seconds, not Node's
// default minute, and the check runs every second rather than every 30 s.
const server = serve({
  port: config.port,
  hostname: config.host,
  fetch: nitroApp.fetch,
  node: {
    headersTimeout: config.headersTimeoutMs,
    requestTimeout: 30_000,
    connectionsCheckingInterval: 1_000,
  },
});

const hooksKey = Symbol.for("crossws.hooks");
type HookCarrier = Request & { [hooksKey]?: object; context?: Record<symbol, object> };

// A path's websocket hooks never change while the server runs, so each is
// looked up through Nitro once: running the whole request pipeline per
// upgrade cost CPU and garbage on every connect. Only paths that have hooks
// are kept (a handful), so made-up paths cannot grow this map. Upgrades are
// authenticated in the hooks themselves (the `upgrade` hook), not by
// middleware, so skipping the pipeline skips no check.
const hooksByPath = new Map<string, object>();

const ws = wsAdapter({
  serverOptions: { maxPayload: MAX_FRAME_BYTES },
  // Parley's own heartbeat (src/server/ws/heartbeat.server.ts) pings and
  // cuts silent sockets; crossws's sweep would ping every socket a second
  // time and add three listeners and a closure to each.
  idleTimeout: 0,
  // Route the upgrade through Nitro's router so /_ws finds its hooks the
  // same way Nitro's own entry does.
  async resolve(request) {
    const path = new URL(request.url).pathname;
    const known = hooksByPath.get(path);
    if (known) return known;
    const response = (await serverFetch(request)) as Response & { crossws?: object };
    const carrier = request as HookCarrier;
    const hooks = response.crossws ?? carrier[hooksKey] ?? carrier.context?.[hooksKey];
    if (hooks && hooksByPath.size < 16) hooksByPath.set(path, hooks);
    return hooks ?? {};
  },
});

const node = server.node?.server;
if (!(node instanceof HttpServer)) throw new Error("srvx did not create a Node HTTP server");
node.on("upgrade", (req, socket, head) => {
  const request = new NodeRequest({ req, upgrade: { socket, head } } as never);
  // crossws parks the upgrade Request on the IncomingMessage (`_request`)
  // for the socket's whole life and never reads it again; letting it go
  // frees its parsed URL and headers per idle connection.
  void ws.handleUpgrade(req, socket, head, request).finally(() => {
    delete (req as { _request?: unknown })._request;
  });
});

// Warm the runtime (migrations, auth secret) before the first request, and
// stop at once with a clear message when the config or database is bad.
getRuntime().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  // Whatever happens below, the process is gone within 10 s.
  const deadline = setTimeout(() => process.exit(0), 9_500);
  deadline.unref();
  // New upgrades get 503 and /readyz fails, so the load balancer moves on;
  // frames already being handled finish their commits and acks.
  await drain(5_000);
  // 1012 "service restart" tells clients to reconnect (elsewhere) at once.
  await ws.close(1012, "server restarting");
  await server.close(true);
  const runtime = await getRuntime().catch(() => undefined);
  await runtime?.relay?.close();
  await runtime?.presence.close();
  await runtime?.storage.close();
  console.log(JSON.stringify({ level: "info", msg: "stopped", signal }));
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

export default {};

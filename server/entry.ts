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
import { createLogger } from "../src/server/log.server";
import { getRuntime } from "../src/server/runtime.server";
import { releaseUpgradeRequest, responseUnderway } from "../src/server/ws/library-internals.server";
import { disposeRealtime, getRealtime } from "../src/server/ws/realtime.server";

const config = (() => {
  try {
    return getConfig();
  } catch (error) {
    // A bad setting is the operator's to fix: say which, without a stack trace.
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
})();
const log = createLogger(config.logLevel);
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

/** Errors of a peer that went away mid-answer: ordinary on the internet, not failures. */
const HUNG_UP = new Set([
  "ECONNRESET",
  "EPIPE",
  "ECONNABORTED",
  "ETIMEDOUT",
  "ERR_STREAM_DESTROYED",
  "ERR_STREAM_WRITE_AFTER_END",
]);
function socketError(where: string, error: NodeJS.ErrnoException) {
  if (error.code && HUNG_UP.has(error.code))
    log.debug("client hung up", { where, code: error.code });
  else log.warn("socket error", { where, error: String(error) });
}

// Node removes its own error handler from a socket it hands to `upgrade`:
// without one, a client that hangs up while the answer (101, 401, 403, 429,
// 503) is being written makes EPIPE/ECONNRESET an uncaught error, and the
// process exits (issue 18, F-1). The listener stays for the socket's life;
// ws adds its own once the upgrade completes.
const onUpgradeSocketError = (error: Error) => socketError("upgrade", error);

node.on("upgrade", (req, socket, head) => {
  socket.on("error", onUpgradeSocketError);
  // crossws parks the upgrade Request on the IncomingMessage for the
  // socket's whole life; letting it go frees it per idle connection.
  const done = () => releaseUpgradeRequest(req);
  try {
    const request = new NodeRequest({ req, upgrade: { socket, head } } as never);
    ws.handleUpgrade(req, socket, head, request)
      .catch((error: unknown) => {
        // A failure inside the handshake is this connection's alone.
        log.error("upgrade failed", { error: String(error) });
        socket.destroy();
      })
      .finally(done);
  } catch (error) {
    log.error("upgrade failed", { error: String(error) });
    socket.destroy();
    done();
  }
});

// Node's default answer to a malformed or timed-out request writes to the
// socket and destroys it; this one does the same, skips the write when the
// client is already gone, and logs what happened.
node.on("clientError", (error: NodeJS.ErrnoException, socket) => {
  socketError("http", error);
  // A response already under way must not get a second head written into it.
  if (!socket.writable || responseUnderway(socket) || (error.code && HUNG_UP.has(error.code))) {
    socket.destroy();
    return;
  }
  const status =
    error.code === "ERR_HTTP_REQUEST_TIMEOUT"
      ? "408 Request Timeout"
      : error.code === "HPE_HEADER_OVERFLOW"
        ? "431 Request Header Fields Too Large"
        : "400 Bad Request";
  socket.on("error", () => {});
  socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
});

// Warm the runtime (migrations, auth secret) before the first request, and
// stop at once with a clear message when the config or database is bad.
// The realtime side too: it is what relays a sign-out here to the other
// instances' sockets and session caches, even before a first socket opens.
getRealtime().catch((error: unknown) => {
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
  // Timers and the relay subscription stop before the connections close.
  await disposeRealtime();
  const runtime = await getRuntime().catch(() => undefined);
  await runtime?.relay.close();
  await runtime?.presence.close();
  await runtime?.storage.close();
  console.log(JSON.stringify({ level: "info", msg: "stopped", signal }));
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

export default {};

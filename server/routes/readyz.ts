import { defineHandler } from "h3";
import { isDraining } from "../../src/server/drain.server";
import { getRuntime } from "../../src/server/runtime.server";

// Readiness: the database answers (and the relay is connected when one is
// configured), and the instance is not shutting down.
export default defineHandler(async (event) => {
  try {
    if (isDraining()) throw new Error("shutting down");
    const runtime = await getRuntime();
    await runtime.storage.ping();
    if (!runtime.relay.connected) throw new Error("the relay (Redis) is not connected");
    return { ok: true };
  } catch (error) {
    event.res.status = 503;
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
});

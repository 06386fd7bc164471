import { defineHandler } from "h3";
import { getRuntime } from "../../src/server/runtime.server";

// Readiness: the database answers (and the relay is connected when one is configured).
export default defineHandler(async (event) => {
  try {
    const runtime = await getRuntime();
    await runtime.storage.ping();
    if (runtime.relay?.connected === false) throw new Error("the relay (Redis) is not connected");
    return { ok: true };
  } catch (error) {
    event.res.status = 503;
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
});

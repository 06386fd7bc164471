import type { DeviceChannel } from "../notify/channels";
import type { Runtime } from "../runtime.server";
import { createPushChannel } from "./push-channel.server";
import { createPushSubscriptionStore } from "./subscription-store.server";
import { getVapid } from "./vapid.server";

/**
 * The Web Push channel built from the runtime: the subscriptions in its
 * database, the VAPID keys resolved now (so a damaged vapid.json stops the
 * server at startup). None without a database (unit tests' runtimes).
 */
export function pushDevices(runtime: Pick<Runtime, "config" | "log" | "db">): DeviceChannel[] {
  if (!runtime.db) return [];
  return [
    createPushChannel({
      store: createPushSubscriptionStore(runtime.db),
      vapid: getVapid(runtime.config, runtime.log),
      log: runtime.log,
    }),
  ];
}

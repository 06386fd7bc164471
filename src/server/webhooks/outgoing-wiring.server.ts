import type { ActionFrame, WireUser } from "../../protocol/frames";
import type { ActResult } from "../api/act.server";
import type { Runtime } from "../runtime.server";
import { createDeliveryWorker } from "./delivery-worker.server";
import { createOutgoingStore } from "./outgoing-store.server";
import { createWebhookSink } from "./webhook-sink.server";

/** Runs a frame as a user with no socket (the realtime side's act). */
export type ActAs = (user: WireUser, frame: ActionFrame, limitKey: string) => Promise<ActResult>;

/**
 * Outgoing webhooks for one process (issue 15): the store, the sink the
 * effect runner feeds, and the delivery worker (started and stopped with
 * the realtime side). Undefined without a database handle (unit tests).
 */
export function createOutgoingWebhooks(runtime: Runtime, actAs: ActAs) {
  const { db, log, config } = runtime;
  if (!db) return undefined;
  const store = createOutgoingStore(db);
  const worker = createDeliveryWorker({
    db,
    log,
    retryBaseMs: config.webhooks.retryBaseMs,
    post: { allowHosts: config.webhooks.allowHosts, timeoutMs: config.webhooks.timeoutMs },
    // The reply goes through the same send path and policy as anyone's,
    // rate limited per webhook; the bot is a member of its room only.
    postBack: async (hook, roomId, text, threadRootId) => {
      if (!hook.botUserId) return "the webhook has no bot user";
      const bot: WireUser = { id: hook.botUserId, name: hook.name, bot: true };
      const frame: ActionFrame = {
        type: "send",
        roomId,
        clientId: crypto.randomUUID(),
        text,
        ...(threadRootId && { threadRootId }),
      };
      const result = await actAs(bot, frame, `webhook:${hook.id}`);
      return result.ok ? undefined : result.error.message;
    },
  });
  const sink = createWebhookSink({ db, store, log, queued: () => worker.wake() });
  return {
    store,
    sink,
    worker,
    async start() {
      await sink.start();
      worker.start();
    },
    async stop() {
      sink.stop();
      await worker.stop();
    },
  };
}

export type OutgoingWebhooks = NonNullable<ReturnType<typeof createOutgoingWebhooks>>;

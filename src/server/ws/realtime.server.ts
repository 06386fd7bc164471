import type { Peer } from "crossws";
import type { FrameDeps } from "../../core/handle-frame";
import { Hub, SLOW_CONSUMER_BYTES } from "../../core/hub";
import { UserSockets } from "../../core/presence";
import { act } from "../api/act.server";
import { liveSessionTokens } from "../auth/auth.server";
import { createSessionLookup } from "../auth/session-lookup.server";
import { createMissedEmail } from "../email/email-wiring.server";
import { createDesktopChannel } from "../notify/desktop.server";
import { createNotifier } from "../notify/notifier.server";
import { createPreviewJobs } from "../previews/preview-jobs.server";
import { pushDevices } from "../push/push-devices.server";
import { getRuntime, type Runtime } from "../runtime.server";
import { liveTokenIds } from "../storage/token-store.server";
import { createOutgoingWebhooks } from "../webhooks/outgoing-wiring.server";
import { createAdmission } from "./admission.server";
import { linkInstance } from "./cluster.server";
import { createEffectRunner } from "./effects.server";
import { frameWriter } from "./frame-writer.server";
import { startHeartbeat } from "./heartbeat.server";
import { createLoopLag } from "./loop-lag.server";
import { createPresenceTracker } from "./presence.server";
import { closeDeactivated, createSessionWatch } from "./sessions.server";
import { liveSocketTokens } from "./token-session.server";
import { createVisibilityLeases, createVisibilityTracker } from "./visibility.server";

/**
 * The realtime side of one process, built in one place from the runtime:
 * the rooms' topics (hub), each user's sockets, the effect runner, the
 * presence tracker, the link to the other instances, the heartbeat and the
 * session watch. `dispose()` stops every timer and subscription it started.
 */
export function createRealtime(runtime: Runtime) {
  const { config, storage, metrics, relay, log, auth } = runtime;
  const hub = new Hub<Peer>(
    (peer) => {
      metrics.slowConsumers.inc();
      peer.close(4008, "slow consumer");
    },
    SLOW_CONSUMER_BYTES,
    frameWriter, // perf: one pre-built frame per room event, written to each socket
  );
  const online = new UserSockets<Peer>();
  const heartbeat = startHeartbeat(config.heartbeatMs);
  // The upgrade's session lookup, cached briefly; every session the watch
  // finds ended (revoked here or on another instance, row gone, expired)
  // is forgotten by it at once.
  const sessionLookup = createSessionLookup({ auth, db: runtime.db });
  const sessions = createSessionWatch((peer, code, reason) => peer.close(code, reason), {
    sweepMs: config.sessionSweepMs,
    // Sockets of a token (`pat:<id>`, issue 15) live while its api_token row does.
    liveTokens: (tokens) =>
      liveSocketTokens(
        tokens,
        (rest) => liveSessionTokens(auth, rest),
        (ids) => (runtime.db ? liveTokenIds(runtime.db, ids) : Promise.resolve(new Set())),
      ),
    onEnded: sessionLookup.forget,
  });
  const admission = createAdmission(config.limits);
  // Read by the upgrade: a storm past what the loop keeps up with is shed (503).
  const loopLag = createLoopLag();
  // The tracker reports lapsed users to the link, which needs the runner,
  // which needs the tracker's view of who is online: the link is read late.
  const link: { current?: ReturnType<typeof linkInstance> } = {};
  const presence = createPresenceTracker({
    online,
    leases: runtime.presence,
    ttlMs: config.presenceTtlMs,
    log,
    onLapsed: (userIds) => link.current?.lapsed(userIds),
  });
  // A made preview is published through the runner (every instance hears it).
  const previews = createPreviewJobs({
    ...config.linkPreviews,
    messages: storage.messages,
    blobs: runtime.blobs,
    log,
    publish: (roomId, message) => {
      void runner.apply([
        { kind: "publish", roomId, frame: { type: "updated", message }, exceptSelf: false },
      ]);
    },
  });
  // Who has a visible tab, shared across instances like presence (issue 13).
  const visibility = createVisibilityTracker<Peer>({
    leases: createVisibilityLeases(config.redisUrl, log),
    ttlMs: config.presenceTtlMs,
    log,
  });
  visibility.start();
  // Notifications (issue 13): told through the runner, which takes them
  // from the notify effects; the runner is built next, so it is read late.
  // Missed-message email (issue 13): only with SMTP_URL.
  const missedEmail = createMissedEmail(runtime);
  const notifier = createNotifier({
    storage,
    devices: [
      createDesktopChannel((effects) => runner.apply(effects)),
      ...pushDevices(runtime),
      ...(missedEmail ? [missedEmail.activity] : []),
    ],
    visibleAmong: (userIds) => visibility.visibleAmong(userIds),
    ...(missedEmail && { email: missedEmail.channel }),
    log,
  });
  // Outgoing webhooks (issue 15): replies are posted through act(), which
  // needs this realtime side, built below, so it is read late.
  const self: { current?: Realtime } = {};
  const outgoing = createOutgoingWebhooks(runtime, (user, frame, limitKey) => {
    if (!self.current) throw new Error("realtime not built yet");
    return act(self.current, user, frame, limitKey);
  });
  const runner = createEffectRunner({
    hub,
    online,
    storage,
    metrics,
    relay,
    onlineAmong: presence.onlineAmong,
    blobs: runtime.blobs,
    log,
    previews,
    notifier,
    ...(outgoing && { webhooks: outgoing.sink }),
    presenceTickMs: config.presenceTickMs,
  });
  // What frame handling reads: the stores, and who is online (for @here).
  const frameDeps: FrameDeps = { ...storage, presence: { onlineAmong: presence.onlineAmong } };
  link.current = linkInstance(runtime, {
    runner,
    hub,
    online,
    presence,
    revoke: (token) => sessions.revoke(token),
    deactivate: (userId, tokens) => closeDeactivated({ sessions, online }, userId, tokens),
    notifier,
  });
  presence.start();
  missedEmail?.worker.start();
  outgoing?.start().catch((error: unknown) => {
    log.error("outgoing webhooks did not start", { error: String(error) });
  });

  let disposed = false;
  const realtime = {
    runtime,
    hub,
    online,
    heartbeat,
    sessions,
    sessionLookup,
    admission,
    loopLag,
    presence,
    runner,
    notifier,
    visibility,
    frameDeps,
    /** Outgoing webhooks (issue 15): store, sink and delivery worker; absent without a db. */
    outgoing,
    /** Stops the heartbeat, the session sweeper, the presence ticks and the relay link. */
    dispose() {
      if (disposed) return;
      disposed = true;
      heartbeat.stop();
      loopLag.stop();
      runner.presenceTicks.stop();
      sessions.stop();
      presence.stop();
      void visibility.stop();
      link.current?.stop();
      void missedEmail?.worker.stop();
      void outgoing?.stop();
    },
  };
  self.current = realtime;
  return realtime;
}

export type Realtime = ReturnType<typeof createRealtime>;

// One per process, like the runtime: the ws route and the server functions
// are bundled apart, so a module-level value could exist twice.
const key = Symbol.for("parley.realtime");
type Holder = { [key]?: Promise<Realtime> };

/** The process's realtime side, built on first use from the runtime. */
export function getRealtime(): Promise<Realtime> {
  const holder = globalThis as Holder;
  holder[key] ??= getRuntime()
    .then(createRealtime)
    .catch((error) => {
      holder[key] = undefined;
      throw error;
    });
  return holder[key];
}

/** Disposes the realtime side if it was built (on shutdown; it stays disposed). */
export async function disposeRealtime(): Promise<void> {
  const built = (globalThis as Holder)[key];
  (await built?.catch(() => undefined))?.dispose();
}

import type { Peer } from "crossws";
import type { UserSockets } from "../../core/presence";
import type { Runtime } from "../runtime.server";
import type { EffectRunner } from "./effects.server";

/**
 * Applies server-side events to live sockets: memberships made by server
 * functions (new room, opened room, DM) subscribe the user's sockets and
 * tell every tab; a signed-out session's sockets close.
 */
export function listenToServerEvents(
  runtime: Runtime,
  deps: { runner: EffectRunner; online: UserSockets<Peer>; revoke: (token: string) => void },
) {
  const { runner, online, revoke } = deps;
  return runtime.events.on((event) => {
    if (event.type === "signed_out") {
      revoke(event.token);
      return;
    }
    if (!online.isOnline(event.userId)) return;
    void (async () => {
      const summary = await runtime.storage.rooms.summaryOf(event.roomId, event.userId);
      const first = [...online.socketsOf(event.userId)][0];
      if (!summary || !first) return;
      await runner.run(first, [
        { kind: "attach", userId: event.userId, roomId: event.roomId },
        { kind: "user", userId: event.userId, frame: { type: "room_added", room: summary } },
        { kind: "members", roomId: event.roomId },
      ]);
    })().catch((error) => runtime.log.error("membership event failed", { error: String(error) }));
  });
}

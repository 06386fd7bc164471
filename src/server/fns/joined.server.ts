import { joinedEffects } from "../../core/joined";
import type { Runtime } from "../runtime.server";
import { getRealtime } from "../ws/realtime.server";

/**
 * Applies what follows a join done by a server function (created room,
 * opened or joined room, opened DM) through the realtime runner, the same
 * Effects an invite over the socket has: the users' sockets on every
 * instance enter the room, their room lists gain it, the room hears its
 * member list. The join is committed already: a failure here is logged,
 * and the tabs catch up on their next `ready`.
 */
export async function applyJoined(
  runtime: Runtime,
  roomId: string,
  userIds: readonly string[],
): Promise<void> {
  try {
    const effects = await joinedEffects(runtime.storage.rooms, roomId, userIds);
    const { runner } = await getRealtime();
    await runner.apply(effects);
  } catch (error) {
    runtime.log.error("joined effects failed", { roomId, error: String(error) });
  }
}

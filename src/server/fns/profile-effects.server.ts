import { profileChangedEffects } from "../../core/profile";
import type { WireUser } from "../../protocol/frames";
import type { Runtime } from "../runtime.server";
import { getRealtime } from "../ws/realtime.server";

/**
 * Tells the rooms about a committed profile change. This instance's own
 * sockets of the user take the new name and handle at once (what their
 * next messages carry); sockets on other instances keep the old ones until
 * they reconnect (the stored rows are right either way). A failure here is
 * logged: the change is committed, and tabs see it on their next load.
 */
export async function announceProfile(runtime: Runtime, user: WireUser): Promise<void> {
  try {
    const { online, runner } = await getRealtime();
    for (const socket of online.socketsOf(user.id)) socket.context.user = user;
    const rooms = await runtime.storage.rooms.summariesOf(user.id);
    await runner.apply(profileChangedEffects(rooms.map((room) => room.id)));
  } catch (error) {
    runtime.log.error("profile effects failed", { userId: user.id, error: String(error) });
  }
}

// Who is in which room, the same for every system and for Parley's data:
// users 0..F-1 are the fan-out room's ("general"); users F.. are the pool of
// the many-rooms scenario (rooms of `size`) and, beyond it, users in no room
// at all for the idle scenario. Keeping the pools apart matters for Parley:
// each arrival is announced to the room's online members, so a user in
// general would make every idle connect cost a thousand presence frames.
import type { Config } from "./config.ts";

export type Layout = ReturnType<typeof layout>;
type Sizes = {
  fanout: Pick<Config["fanout"], "conns">;
  rooms: Pick<Config["rooms"], "rooms" | "size">;
  idle: Pick<Config["idle"], "conns">;
  persist: Pick<Config["persist"], "senders">;
};

export function layout(config: Sizes) {
  const fanoutUsers = config.fanout.conns;
  const { size } = config.rooms;
  const grouped = config.rooms.rooms * size;
  const solo = config.persist.senders;
  if (solo > fanoutUsers) throw new Error("BENCH_PERSIST_SENDERS cannot exceed BENCH_FANOUT_CONNS");
  const groupOf = (i: number) =>
    i >= fanoutUsers && i < fanoutUsers + grouped
      ? `g-${Math.floor((i - fanoutUsers) / size)}`
      : undefined;
  return {
    users: Math.max(fanoutUsers + Math.max(grouped, config.idle.conns), 2),
    fanoutUsers,
    /** First user of the many-rooms and idle pool. */
    poolStart: fanoutUsers,
    groups: Math.ceil(grouped / size),
    solo,
    groupOf,
    /** Every room user i belongs to in Parley's data. */
    roomsOf(i: number): string[] {
      const slugs: string[] = [];
      if (i < fanoutUsers) slugs.push("general");
      const group = groupOf(i);
      if (group) slugs.push(group);
      if (i < solo) slugs.push(`p-${i}`);
      if (i < 2) slugs.push(RESUME_ROOM);
      return slugs;
    },
  };
}

/** Users 0 and 1 share the room of the resume scenario. */
export const RESUME_ROOM = "resume";

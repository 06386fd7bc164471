// Words of the room directory (/rooms), kept apart so they are unit-tested.

/** The announced result of a search: "1 public room", "12 public rooms", "100+ public rooms". */
export function countLabel(count: number, more: boolean): string {
  return `${count}${more ? "+" : ""} public ${count === 1 && !more ? "room" : "rooms"}`;
}

/** A room's member count as its row shows it: "1 member", "3 members". */
export function memberLabel(count: number): string {
  return `${count} ${count === 1 ? "member" : "members"}`;
}

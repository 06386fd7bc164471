/** Something a frame can be written to: a socket, or a test double. */
export interface Sink {
  send(data: string): unknown;
}

/**
 * In-process topic registry: room id -> subscribed sinks. Publishing writes
 * one pre-encoded string to every subscriber, so a room event is serialised
 * once however many members are online.
 */
export class Hub<S extends Sink = Sink> {
  readonly #rooms = new Map<string, Set<S>>();
  readonly #bySink = new Map<S, Set<string>>();

  subscribe(sink: S, roomId: string): void {
    let sinks = this.#rooms.get(roomId);
    if (!sinks) {
      sinks = new Set();
      this.#rooms.set(roomId, sinks);
    }
    sinks.add(sink);
    let rooms = this.#bySink.get(sink);
    if (!rooms) {
      rooms = new Set();
      this.#bySink.set(sink, rooms);
    }
    rooms.add(roomId);
  }

  /** Removes the sink from one room. */
  unsubscribe(sink: S, roomId: string): void {
    const sinks = this.#rooms.get(roomId);
    sinks?.delete(sink);
    if (sinks?.size === 0) this.#rooms.delete(roomId);
    this.#bySink.get(sink)?.delete(roomId);
  }

  isSubscribed(sink: S, roomId: string): boolean {
    return this.#rooms.get(roomId)?.has(sink) ?? false;
  }

  /** Removes the sink from every room; returns the rooms it was in. */
  drop(sink: S): string[] {
    const rooms = [...(this.#bySink.get(sink) ?? [])];
    for (const roomId of rooms) {
      const sinks = this.#rooms.get(roomId);
      sinks?.delete(sink);
      if (sinks?.size === 0) this.#rooms.delete(roomId);
    }
    this.#bySink.delete(sink);
    return rooms;
  }

  /** Writes `data` to every subscriber of the room except `except`; returns how many got it. */
  publish(roomId: string, data: string, except?: S): number {
    const sinks = this.#rooms.get(roomId);
    if (!sinks) return 0;
    let count = 0;
    for (const sink of sinks) {
      if (sink === except) continue;
      sink.send(data);
      count++;
    }
    return count;
  }
}

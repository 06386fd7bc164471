/** Something a frame can be written to: a socket, or a test double. */
export interface Sink {
  send(data: string): unknown;
  /** Bytes queued for this sink and not yet written (sockets have it). */
  readonly bufferedAmount?: number;
}

/** Default high-water mark of a sink's queued bytes before it is dropped as too slow. */
export const SLOW_CONSUMER_BYTES = 1024 * 1024;

/**
 * In-process topic registry: room id -> subscribed sinks. Publishing writes
 * one pre-encoded string to every subscriber, so a room event is serialised
 * once however many members are online.
 */
export class Hub<S extends Sink = Sink> {
  readonly #rooms = new Map<string, Set<S>>();
  readonly #bySink = new Map<S, Set<string>>();

  /**
   * `onSlow` is called (instead of queueing more) for a sink whose unsent
   * bytes passed `highWaterMark`: a paused reader must not grow the
   * server's memory; it resumes by seq once it reconnects.
   */
  constructor(
    readonly onSlow: (sink: S) => void = () => {},
    readonly highWaterMark = SLOW_CONSUMER_BYTES,
  ) {}

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
      if ((sink.bufferedAmount ?? 0) > this.highWaterMark) {
        this.drop(sink);
        this.onSlow(sink);
        continue;
      }
      sink.send(data);
      count++;
    }
    return count;
  }
}

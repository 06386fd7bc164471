/** Something a frame can be written to: a socket, or a test double. */
export interface Sink {
  send(data: string): unknown;
  /** Bytes queued for this sink and not yet written (sockets have it). */
  readonly bufferedAmount?: number;
}

/**
 * How a publish reaches its sinks. `prepare` runs once per publish (e.g. it
 * builds the WebSocket frame), `write` once per sink with that result, so
 * per-member work is only the write itself.
 */
export interface FanoutWriter<S> {
  prepare(data: string): unknown;
  /** Bytes queued for this sink and not yet written. */
  queued(sink: S): number;
  write(sink: S, prepared: unknown, data: string): void;
}

/** The plain writer: the same string to every sink's `send`. */
export const sendWriter: FanoutWriter<Sink> = {
  prepare: (data) => data,
  queued: (sink) => sink.bufferedAmount ?? 0,
  write: (sink, _prepared, data) => {
    sink.send(data);
  },
};

/** Default high-water mark of a sink's queued bytes before it is dropped as too slow. */
export const SLOW_CONSUMER_BYTES = 1024 * 1024;

/**
 * In-process topic registry: room id -> subscribed sinks. A publish is
 * prepared once (one string, or one pre-built frame) however many members
 * are online, then written to each.
 */
const NO_SINKS: ReadonlySet<never> = new Set();

export class Hub<S extends Sink = Sink> {
  readonly #rooms = new Map<string, Set<S>>();
  // Only sinks in more than one room are listed here: a sink in one room is
  // found through that room's set, which saves a Set per idle connection.
  readonly #bySink = new Map<S, Set<string> | string>();

  /**
   * `onSlow` is called (instead of queueing more) for a sink whose unsent
   * bytes passed `highWaterMark`: a paused reader must not grow the
   * server's memory; it resumes by seq once it reconnects.
   */
  constructor(
    readonly onSlow: (sink: S) => void = () => {},
    readonly highWaterMark = SLOW_CONSUMER_BYTES,
    readonly writer: FanoutWriter<S> = sendWriter,
  ) {}

  subscribe(sink: S, roomId: string): void {
    let sinks = this.#rooms.get(roomId);
    if (!sinks) {
      sinks = new Set();
      this.#rooms.set(roomId, sinks);
    }
    sinks.add(sink);
    const rooms = this.#bySink.get(sink);
    if (rooms === undefined) this.#bySink.set(sink, roomId);
    else if (typeof rooms === "string") {
      if (rooms !== roomId) this.#bySink.set(sink, new Set([rooms, roomId]));
    } else rooms.add(roomId);
  }

  /** Removes the sink from one room. */
  unsubscribe(sink: S, roomId: string): void {
    const sinks = this.#rooms.get(roomId);
    sinks?.delete(sink);
    if (sinks?.size === 0) this.#rooms.delete(roomId);
    const rooms = this.#bySink.get(sink);
    if (rooms === roomId) this.#bySink.delete(sink);
    else if (typeof rooms === "object") rooms.delete(roomId);
  }

  isSubscribed(sink: S, roomId: string): boolean {
    return this.#rooms.get(roomId)?.has(sink) ?? false;
  }

  /** Removes the sink from every room; returns the rooms it was in. */
  drop(sink: S): string[] {
    const held = this.#bySink.get(sink);
    const rooms = held === undefined ? [] : typeof held === "string" ? [held] : [...held];
    for (const roomId of rooms) {
      const sinks = this.#rooms.get(roomId);
      sinks?.delete(sink);
      if (sinks?.size === 0) this.#rooms.delete(roomId);
    }
    this.#bySink.delete(sink);
    return rooms;
  }

  /**
   * Writes `data` once to every sink subscribed to any of the rooms, except
   * `except`: a sink in several of them gets it once. Returns how many got it.
   */
  publishToRooms(roomIds: Iterable<string>, data: string, except?: S): number {
    const { writer, highWaterMark } = this;
    let prepared: unknown;
    let prepare = true;
    const seen = new Set<S>();
    if (except !== undefined) seen.add(except);
    let count = 0;
    for (const roomId of roomIds) {
      const sinks = this.#rooms.get(roomId);
      if (!sinks) continue;
      for (const sink of sinks) {
        if (seen.has(sink)) continue;
        seen.add(sink);
        if (writer.queued(sink) > highWaterMark) {
          this.drop(sink);
          this.onSlow(sink);
          continue;
        }
        if (prepare) {
          prepared = writer.prepare(data);
          prepare = false;
        }
        writer.write(sink, prepared, data);
        count++;
      }
    }
    return count;
  }

  /** The sinks in a room, for reading only (copy before writing: a slow one leaves it). */
  sinksIn(roomId: string): ReadonlySet<S> {
    return this.#rooms.get(roomId) ?? NO_SINKS;
  }

  /**
   * Writes `data` once to each of `sinks` (framed once for all) under the
   * slow-consumer rule; returns how many got it. For frames whose readers
   * were chosen by hand (a presence tick's deliveries).
   */
  writeTo(sinks: readonly S[], data: string): number {
    const { writer, highWaterMark } = this;
    let prepared: unknown;
    let count = 0;
    for (const sink of sinks) {
      if (writer.queued(sink) > highWaterMark) {
        this.drop(sink);
        this.onSlow(sink);
        continue;
      }
      if (count === 0) prepared = writer.prepare(data);
      writer.write(sink, prepared, data);
      count++;
    }
    return count;
  }

  /** Writes `data` to every subscriber of the room except `except`; returns how many got it. */
  publish(roomId: string, data: string, except?: S): number {
    const sinks = this.#rooms.get(roomId);
    if (!sinks) return 0;
    const { writer, highWaterMark } = this;
    const prepared = writer.prepare(data);
    let count = 0;
    for (const sink of sinks) {
      if (sink === except) continue;
      if (writer.queued(sink) > highWaterMark) {
        this.drop(sink);
        this.onSlow(sink);
        continue;
      }
      writer.write(sink, prepared, data);
      count++;
    }
    return count;
  }
}

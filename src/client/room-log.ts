import type { WireMessage } from "../protocol/frames";

/**
 * One room's messages as a client holds them: keyed by seq, rendered in seq
 * order, each seq once. `contiguousTo` is the highest seq up to which the
 * log has no hole since `base` (the seq just below the first it holds);
 * a live message beyond contiguousTo + 1 reveals a gap to fetch.
 */
export class RoomLog {
  readonly #bySeq = new Map<number, WireMessage>();
  base = 0;
  contiguousTo = 0;
  lastRev = 0;
  #sorted: WireMessage[] = [];
  #dirty = false;

  /** Starts from a contiguous page (the server-rendered latest messages). */
  seed(page: readonly WireMessage[], fallbackSeq = 0): void {
    const first = page[0];
    if (this.#bySeq.size === 0) {
      this.base = first ? first.seq - 1 : fallbackSeq;
      this.contiguousTo = this.base;
    }
    this.merge(page);
  }

  /** Adds or refreshes messages; returns true when anything changed. */
  merge(messages: readonly WireMessage[]): boolean {
    let changed = false;
    for (const message of messages) {
      const known = this.#bySeq.get(message.seq);
      if (!known || message.rev > known.rev) {
        this.#bySeq.set(message.seq, message);
        changed = true;
      }
      if (message.rev > this.lastRev) this.lastRev = message.rev;
      // An older page below the base extends the log downwards.
      if (message.seq <= this.base) this.base = message.seq - 1;
    }
    while (this.#bySeq.has(this.contiguousTo + 1)) this.contiguousTo++;
    if (changed) this.#dirty = true;
    return changed;
  }

  /** True when `seq` lies beyond a hole after contiguousTo. */
  revealsGap(seq: number): boolean {
    return seq > this.contiguousTo + 1;
  }

  has(seq: number): boolean {
    return this.#bySeq.has(seq);
  }

  get size(): number {
    return this.#bySeq.size;
  }

  /** The messages in seq order; the same array until something changes. */
  list(): WireMessage[] {
    if (this.#dirty) {
      this.#sorted = [...this.#bySeq.values()].sort((a, b) => a.seq - b.seq);
      this.#dirty = false;
    }
    return this.#sorted;
  }
}

import type { WireMessage } from "../protocol/frames";

/**
 * One room's pinned messages as a client holds them, fed by every message
 * it hears of (the page's pin list, live `updated`, replays by revision).
 * Each message's newest state wins by `rev`, so a stale list arriving after
 * a live unpin cannot bring the pin back; unpinned messages are kept as
 * their last revision only for that comparison.
 */
export class PinBoard {
  readonly #latest = new Map<string, WireMessage>();
  #sorted: WireMessage[] = [];
  #dirty = false;

  /** Takes the pin state of these messages; returns true when the list changed. */
  merge(messages: readonly WireMessage[]): boolean {
    let changed = false;
    for (const message of messages) {
      const known = this.#latest.get(message.id);
      // Only pins matter, and messages once seen pinned (to see them go).
      if (!known && message.pinnedAt === null) continue;
      if (known && known.rev >= message.rev) continue;
      this.#latest.set(message.id, message);
      // The list shows pinned messages whole: any change to one shows.
      if (isPinned(known) || isPinned(message)) changed = true;
    }
    if (changed) this.#dirty = true;
    return changed;
  }

  /** Pinned messages, newest pin first; the same array until something changes. */
  list(): WireMessage[] {
    if (this.#dirty) {
      this.#sorted = [...this.#latest.values()]
        .filter(isPinned)
        .sort((a, b) => (b.pinnedAt ?? "").localeCompare(a.pinnedAt ?? "") || b.seq - a.seq);
      this.#dirty = false;
    }
    return this.#sorted;
  }
}

const isPinned = (message: WireMessage | undefined) =>
  message !== undefined && message.pinnedAt !== null && !message.deleted;

/**
 * Counts each user's open sockets so that several tabs count once: the
 * first socket makes the user online, closing the last makes them offline.
 */
export class ConnectionCounter {
  readonly #counts = new Map<string, number>();

  /** Records a new socket; true when it is the user's first. */
  add(userId: string): boolean {
    const count = (this.#counts.get(userId) ?? 0) + 1;
    this.#counts.set(userId, count);
    return count === 1;
  }

  /** Records a closed socket; true when it was the user's last. */
  remove(userId: string): boolean {
    const count = (this.#counts.get(userId) ?? 0) - 1;
    if (count <= 0) {
      this.#counts.delete(userId);
      return true;
    }
    this.#counts.set(userId, count);
    return false;
  }

  isOnline(userId: string): boolean {
    return this.#counts.has(userId);
  }
}

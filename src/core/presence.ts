/**
 * Each user's open sockets, so that several tabs count once: the first
 * socket makes the user online, closing the last makes them offline, and
 * per-user frames (read markers, room changes) reach every tab.
 */
export class UserSockets<S> {
  readonly #byUser = new Map<string, Set<S>>();

  /** Records a new socket; true when it is the user's first. */
  add(userId: string, socket: S): boolean {
    let sockets = this.#byUser.get(userId);
    if (!sockets) {
      sockets = new Set();
      this.#byUser.set(userId, sockets);
    }
    sockets.add(socket);
    return sockets.size === 1;
  }

  /** Records a closed socket; true when it was the user's last. */
  remove(userId: string, socket: S): boolean {
    const sockets = this.#byUser.get(userId);
    if (!sockets?.delete(socket)) return !sockets;
    if (sockets.size > 0) return false;
    this.#byUser.delete(userId);
    return true;
  }

  isOnline(userId: string): boolean {
    return this.#byUser.has(userId);
  }

  /** Every user with a socket here. */
  users(): IterableIterator<string> {
    return this.#byUser.keys();
  }

  socketsOf(userId: string): ReadonlySet<S> {
    return this.#byUser.get(userId) ?? new Set();
  }
}

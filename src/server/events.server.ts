/** Things server functions do that live sockets must learn about. */
export type ServerEvent =
  | { type: "joined"; roomId: string; userId: string }
  /** A session was signed out: its sockets must close. */
  | { type: "signed_out"; token: string };

/**
 * In-process event bus between server functions (which run outside the
 * socket layer) and the ws hooks. Listeners must not throw.
 */
export function createEventBus() {
  const listeners = new Set<(event: ServerEvent) => void>();
  return {
    emit(event: ServerEvent) {
      for (const listener of listeners) listener(event);
    },
    on(listener: (event: ServerEvent) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type EventBus = ReturnType<typeof createEventBus>;

/**
 * Things server functions do that live sockets must learn about. Joins are
 * not here: server functions apply their Effects through the realtime
 * runner (fns/joined.server.ts). A sign-out is, because the auth handler
 * that sees it runs whether or not the realtime side was ever built.
 */
export type ServerEvent =
  /** A session was signed out: its sockets must close. */
  | { type: "signed_out"; token: string }
  /** An admin deactivated the user (issue 14): their sockets close with 4003, these sessions are gone. */
  | { type: "user_deactivated"; userId: string; tokens: string[] };

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

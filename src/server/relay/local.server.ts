import { randomUUID } from "node:crypto";
import type { Relay } from "../../ports";
import { deliverEnvelope, encodeEnvelope } from "./envelope.server";

/** Relays in one process that hear each other: the network, in memory. */
export type LocalRelayGroup = {
  /** Adds a listener for every payload broadcast; returns its removal. */
  listen(deliver: (payload: string) => void): () => void;
  broadcast(payload: string): void;
};

/** A fresh group; relays in different groups never hear each other. */
export function createLocalRelayGroup(): LocalRelayGroup {
  const listeners = new Set<(payload: string) => void>();
  return {
    listen(deliver) {
      listeners.add(deliver);
      return () => listeners.delete(deliver);
    },
    broadcast(payload) {
      // Later, not now, as over a network: a publisher never runs a
      // subscriber's code inside its own call.
      for (const deliver of listeners) queueMicrotask(() => deliver(payload));
    },
  };
}

/**
 * The in-process relay. Alone (the default, no group given) it has no one
 * to deliver to, which is all a single instance needs, so a publish costs
 * nothing; relays sharing a group deliver to each other, which lets the
 * relay contract run without Redis. Payloads travel as the same JSON
 * envelope as on Redis.
 */
export function createLocalRelay(
  options: { group?: LocalRelayGroup; onError?: (error: unknown) => void } = {},
): Relay {
  const alone = options.group === undefined;
  const group = options.group ?? createLocalRelayGroup();
  const id = randomUUID();
  const handlers: ((roomId: string, data: string, origin: string) => void)[] = [];
  let closed = false;

  const stopListening = group.listen((payload) => {
    if (!closed) deliverEnvelope(payload, id, handlers, options.onError);
  });

  return {
    id,
    async publish(roomId, data) {
      if (closed) throw new Error("relay closed");
      if (alone) return;
      group.broadcast(encodeEnvelope({ origin: id, roomId, data }));
    },
    async subscribe(onMessage) {
      if (closed) throw new Error("relay closed");
      handlers.push(onMessage);
    },
    get connected() {
      return !closed;
    },
    onRecovered() {
      // Nothing in memory is ever lost, so there is never a recovery.
      return () => {};
    },
    async close() {
      closed = true;
      stopListening();
    },
  };
}

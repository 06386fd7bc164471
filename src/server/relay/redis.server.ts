import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import type { Relay } from "../../ports";
import { deliverEnvelope, encodeEnvelope } from "./envelope.server";

/** The default channel: one per deployment (every instance of it shares the Redis). */
export const DEFAULT_RELAY_CHANNEL = "parley:rooms";

/** Connected: both connections are up (and subscribed, once subscribe was called). */
export type RedisRelay = Relay;

export type RedisRelayOptions = {
  url: string;
  channel?: string;
  /**
   * Connection trouble (reported once per outage, not per retry) and
   * exceptions thrown by a subscriber's handler.
   */
  onError?: (error: unknown) => void;
};

/**
 * Cross-instance fan-out over Redis pub/sub: one connection publishes, one
 * subscribes (a subscribed Redis connection can do nothing else). Both
 * reconnect by themselves and the subscriber resubscribes; what is
 * published meanwhile is lost, which clients repair by seq.
 */
export function createRedisRelay(options: RedisRelayOptions): RedisRelay {
  const id = randomUUID();
  const channel = options.channel ?? DEFAULT_RELAY_CHANNEL;
  const handlers: ((roomId: string, data: string, origin: string) => void)[] = [];
  let closed = false;
  let subscribed = false;
  // Someone asked to listen: until the subscription holds, the relay is not
  // ready (an instance that cannot hear the others must not take sockets).
  let wanted = false;
  const recovered = new Set<() => void>();

  const connect = (role: "pub" | "sub") => {
    const client = new Redis(options.url, {
      connectionName: `parley-relay-${role}-${id}`,
      // Keep trying, at most every 2 s: an instance outlives Redis restarts.
      retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
      // A publish waits through a short blip, then fails instead of queueing
      // stale frames for minutes: the database is what clients trust.
      maxRetriesPerRequest: 2,
    });
    let reported = false;
    let wasReady = false;
    let lost = false;
    client.on("ready", () => {
      reported = false;
      if (lost && !closed) for (const listener of recovered) listener();
      lost = false;
      wasReady = true;
    });
    // Anything published while a connection is down is gone for good:
    // remember the outage so that its end is reported.
    client.on("close", () => {
      if (wasReady) lost = true;
    });
    // Without a listener ioredis prints every failed retry; report each outage once.
    client.on("error", (error) => {
      if (reported || closed) return;
      reported = true;
      options.onError?.(error);
    });
    return client;
  };
  const publisher = connect("pub");
  const subscriber = connect("sub");

  subscriber.on("message", (from: string, payload: string) => {
    if (from !== channel || closed) return;
    deliverEnvelope(payload, id, handlers, options.onError);
  });

  return {
    id,
    get connected() {
      return (
        !closed &&
        publisher.status === "ready" &&
        subscriber.status === "ready" &&
        (subscribed || !wanted)
      );
    },
    async publish(roomId, data) {
      if (closed) throw new Error("relay closed");
      await publisher.publish(channel, encodeEnvelope({ origin: id, roomId, data }));
    },
    async subscribe(onMessage) {
      if (closed) throw new Error("relay closed");
      wanted = true;
      handlers.push(onMessage);
      if (subscribed) return;
      try {
        await subscriber.subscribe(channel);
        subscribed = true;
      } catch (error) {
        // Redis is down: leave nothing half-registered, so a retry starts clean.
        handlers.splice(handlers.indexOf(onMessage), 1);
        throw error;
      }
    },
    onRecovered(listener) {
      recovered.add(listener);
      return () => recovered.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([publisher, subscriber].map(release));
    },
  };
}

/** QUIT when connected (pending replies arrive first), else just drop the socket. */
async function release(client: Redis): Promise<void> {
  if (client.status !== "ready") {
    client.disconnect();
    return;
  }
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}

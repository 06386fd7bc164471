/** What travels between instances: who sent it, for which room, the frame. */
export type Envelope = { origin: string; roomId: string; data: string };

/** One envelope as the JSON string both relay drivers carry. */
export function encodeEnvelope(envelope: Envelope): string {
  return JSON.stringify(envelope);
}

/**
 * The envelope in a payload, or null for anything else. Never throws:
 * the channel is shared, so a foreign or broken publisher must not take
 * an instance's subscriber down.
 */
export function decodeEnvelope(payload: string): Envelope | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const { origin, roomId, data } = value as Record<string, unknown>;
  if (typeof origin !== "string" || typeof roomId !== "string" || typeof data !== "string") {
    return null;
  }
  return { origin, roomId, data };
}

/** A relay subscriber's callback. */
export type RelayHandler = (roomId: string, data: string, origin: string) => void;

/**
 * Hands a received payload to every handler, unless it is malformed or this
 * relay's own echo; a throwing handler is reported and the others still run.
 */
export function deliverEnvelope(
  payload: string,
  selfId: string,
  handlers: readonly RelayHandler[],
  onError?: (error: unknown) => void,
): void {
  const envelope = decodeEnvelope(payload);
  if (!envelope || envelope.origin === selfId) return;
  for (const handler of handlers) {
    try {
      handler(envelope.roomId, envelope.data, envelope.origin);
    } catch (error) {
      onError?.(error);
    }
  }
}

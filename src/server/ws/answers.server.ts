import type { Peer } from "crossws";
import type { Effect } from "../../core/handle-frame";
import type { SendFrame, ServerFrame } from "../../protocol/frames";

/**
 * Makes the effects of a frame that carries `ref` answer it once: the
 * first reply that is an error or an ack carries the ref. When none does,
 * `answer` is undefined and the caller sends `{type: "ok", ref}` after the
 * effects. The core never sees refs; this is the edge's business.
 */
export function stampAnswer(
  effects: Effect[],
  ref: string,
): { effects: Effect[]; answer: Effect | undefined } {
  const index = effects.findIndex(
    (e) => e.kind === "reply" && (e.frame.type === "error" || e.frame.type === "ack"),
  );
  if (index < 0) return { effects, answer: undefined };
  const found = effects[index] as Extract<Effect, { kind: "reply" }>;
  const answer: Effect = { kind: "reply", frame: { ...found.frame, ref } as ServerFrame };
  const stamped = effects.slice();
  stamped[index] = answer;
  return { effects: stamped, answer };
}

/**
 * Per-author order under refusals. A send may name the send before it
 * (`after`: that send's clientId, when the client has not seen it acked).
 * The client keeps a few sends in flight; when one is refused (rate_limited,
 * internal), the ones behind it are already on the way, and a token refilled
 * in between would store one of them before the refused one is sent again.
 * So a send whose `after` is not the last send stored in that room through
 * this socket is refused (out_of_order), and the client sends them all again
 * in order. The client resends every unacknowledged send in order on each
 * connection, so the predecessor, if it was stored earlier, is acked again
 * on this socket before its successor arrives. Cost per send: one WeakMap
 * and one Map lookup.
 */
export function createSendOrder() {
  const lastStored = new WeakMap<Peer, Map<string, string>>();
  return {
    /** A send of this socket was stored (or acked again as a duplicate). */
    stored(peer: Peer, roomId: string, clientId: string): void {
      let rooms = lastStored.get(peer);
      if (!rooms) {
        rooms = new Map();
        lastStored.set(peer, rooms);
      }
      rooms.set(roomId, clientId);
    },

    /** The refusal for a send whose predecessor is not stored yet, or undefined. */
    check(peer: Peer, frame: SendFrame): Extract<ServerFrame, { type: "error" }> | undefined {
      if (frame.after === undefined) return undefined;
      if (lastStored.get(peer)?.get(frame.roomId) === frame.after) return undefined;
      return {
        type: "error",
        code: "out_of_order",
        message: "the message before this one is not stored yet: send it first",
        clientId: frame.clientId,
        retryAfterMs: 0,
      };
    },
  };
}

import type { Peer } from "crossws";
import type { Effect } from "../../core/handle-frame";
import type { Hub } from "../../core/hub";
import type { UserSockets } from "../../core/presence";
import { missedPages } from "../../core/replay";
import type { Storage } from "../../ports";
import { encodeServerFrame } from "../../protocol/decode";
import type { ServerFrame, WireMember } from "../../protocol/frames";

export const send = (peer: Peer, frame: ServerFrame) => peer.send(encodeServerFrame(frame));

type Deps = { hub: Hub<Peer>; online: UserSockets<Peer>; storage: Storage };

/** Performs the core's decisions on sockets and subscriptions. */
export function createEffectRunner({ hub, online, storage }: Deps) {
  const membersOf = async (roomId: string): Promise<WireMember[]> =>
    (await storage.rooms.members(roomId)).map((m) => ({ ...m, online: online.isOnline(m.id) }));

  const runner = {
    /** Tells the rooms' other members this user came online or went offline. */
    announce(peer: Peer, roomIds: Iterable<string>, isOnline: boolean) {
      const { user } = peer.context;
      for (const roomId of roomIds) {
        hub.publish(
          roomId,
          encodeServerFrame({ type: "presence", roomId, user, online: isOnline }),
          peer,
        );
      }
    },

    async run(peer: Peer, effects: Effect[]) {
      for (const effect of effects) await runner.one(peer, effect);
    },

    async one(peer: Peer, effect: Effect) {
      switch (effect.kind) {
        case "reply":
          send(peer, effect.frame);
          return;
        case "publish":
          hub.publish(
            effect.roomId,
            encodeServerFrame(effect.frame),
            effect.exceptSelf ? peer : undefined,
          );
          return;
        case "user": {
          const data = encodeServerFrame(effect.frame);
          for (const socket of online.socketsOf(effect.userId)) socket.send(data);
          return;
        }
        case "subscribe": {
          const { roomId } = effect;
          // Subscribe before reading the position: anything committed from
          // here on arrives live, everything before comes from the replay.
          hub.subscribe(peer, roomId);
          const { lastSeq, lastRev } = await storage.messages.position(roomId);
          send(peer, {
            type: "subscribed",
            roomId,
            lastSeq,
            lastRev,
            members: await membersOf(roomId),
          });
          if (effect.afterSeq !== undefined || effect.afterRev !== undefined) {
            const range = {
              afterSeq: effect.afterSeq,
              afterRev: effect.afterRev,
              untilSeq: lastSeq,
            };
            for await (const messages of missedPages(storage.messages, roomId, range)) {
              send(peer, { type: "history", roomId, messages, done: false });
            }
            send(peer, { type: "history", roomId, messages: [], done: true });
          }
          runner.announce(peer, [roomId], true);
          return;
        }
        case "fetch": {
          const { roomId, afterSeq } = effect;
          const untilSeq = (effect.beforeSeq ?? Number.MAX_SAFE_INTEGER) - 1;
          for await (const messages of missedPages(storage.messages, roomId, {
            afterSeq,
            untilSeq,
          })) {
            send(peer, { type: "history", roomId, messages, done: false });
          }
          send(peer, { type: "history", roomId, messages: [], done: true });
          return;
        }
        case "attach":
          for (const socket of online.socketsOf(effect.userId))
            hub.subscribe(socket, effect.roomId);
          return;
        case "detach":
          for (const socket of online.socketsOf(effect.userId))
            hub.unsubscribe(socket, effect.roomId);
          return;
        case "members": {
          const frame = encodeServerFrame({
            type: "members",
            roomId: effect.roomId,
            members: await membersOf(effect.roomId),
          });
          hub.publish(effect.roomId, frame);
          return;
        }
      }
    },
  };
  return runner;
}

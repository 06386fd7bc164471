import type { AppendInput, MessageStore, RoomStore, SendResult } from "../../src/ports";
import type { WireMessage } from "../../src/protocol/frames";

type Stored = { message: WireMessage; duplicate: boolean };

/**
 * The stored message of a send that must succeed: appendIfMember (the
 * app's only append) refusing is a failure of the test's setup.
 */
export async function stored(result: Promise<SendResult>): Promise<Stored> {
  const answer = await result;
  if (!answer.ok) throw new Error(`append refused: ${answer.reason}`);
  return { message: answer.message, duplicate: answer.duplicate };
}

/**
 * Posts as the app does, from a member: joins the author to the room
 * (idempotent) and sends through appendIfMember. Tests of concurrent
 * appends join first and call `stored(appendIfMember(...))` directly, so
 * the appends still start together.
 */
export async function post(
  store: { rooms: RoomStore; messages: MessageStore },
  input: AppendInput,
): Promise<Stored> {
  await store.rooms.join(input.roomId, input.author.id);
  return stored(store.messages.appendIfMember(input));
}

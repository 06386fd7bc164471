import type { WireMessage } from "../../protocol/frames";
import type { Runtime } from "../runtime.server";
import { selectMessages, toWireMessages } from "../storage/message-rows.server";
import { ApiProblem } from "./problem.server";

/**
 * One message of a room as the wire shows it (the stores have no lookup
 * by id: the socket never needs one). A message of another room is not
 * found, so an id cannot be read through a room one may view.
 */
export async function messageInRoom(
  runtime: Runtime,
  roomId: string,
  messageId: string,
): Promise<WireMessage> {
  const db = runtime.db;
  if (!db) throw new ApiProblem("internal", "no database");
  const rows = await selectMessages(db)
    .where("message.id", "=", messageId)
    .where("message.room_id", "=", roomId)
    .execute();
  const [message] = await toWireMessages(db, rows);
  if (!message) throw new ApiProblem("not_found", "no such message");
  return message;
}

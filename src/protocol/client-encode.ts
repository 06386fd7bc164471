import { type ClientFrame, PROTOCOL_VERSION } from "./frames";

/** Encodes a client frame, stamping the protocol version. */
export function encodeClientFrame(frame: ClientFrame): string {
  return JSON.stringify({ ...frame, v: PROTOCOL_VERSION });
}

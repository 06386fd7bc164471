// The bench's own conventions on top of Parley's wire protocol, shared by the
// load generator and the baselines so every system carries the same bytes.

/**
 * Message text: `b|<step>|<sent at ms>|<padding>`. The receiver finds the
 * send time in the frame without JSON.parse, so the load generator's cost
 * per delivery stays small next to the server's. No "@": Parley would look
 * up mentions.
 */
export const textFor = (step: number, sentAt: number, pad: string) =>
  `b|${step}|${sentAt.toFixed(3)}|${pad}`;

/** Client id: `<step>_<sent at ms>_<n>`, so an ack carries its own send time. */
export const clientIdFor = (step: number, sentAt: number, n: number) =>
  `${step}_${sentAt.toFixed(3)}_${n}`;

const TEXT_MARK = '"text":"b|';

/** Step and send time of a `message` frame's bench text, or undefined. */
export function stampOf(frame: string): { step: number; sentAt: number } | undefined {
  const at = frame.indexOf(TEXT_MARK);
  if (at < 0) return undefined;
  const start = at + TEXT_MARK.length;
  const bar = frame.indexOf("|", start);
  const end = frame.indexOf("|", bar + 1);
  return { step: Number(frame.slice(start, bar)), sentAt: Number(frame.slice(bar + 1, end)) };
}

const ACK_MARK = '"clientId":"';

/** Step and send time from an `ack` frame's client id, or undefined. */
export function ackStampOf(frame: string): { step: number; sentAt: number } | undefined {
  const at = frame.indexOf(ACK_MARK);
  if (at < 0) return undefined;
  const start = at + ACK_MARK.length;
  const first = frame.indexOf("_", start);
  const second = frame.indexOf("_", first + 1);
  return {
    step: Number(frame.slice(start, first)),
    sentAt: Number(frame.slice(first + 1, second)),
  };
}

/** Padding that brings the text to `chars` characters, as a short chat line would be. */
export const padding = (chars: number) => "lorem ipsum dolor sit amet ".repeat(10).slice(0, chars);

const seqs = new Map<string, number>();
let ids = 0;

/**
 * What a baseline does with a `send` frame: parse it and build a `message`
 * frame of the same shape (and so about the same size) as Parley's, plus the
 * ack for the sender. No storage, no auth, no validation: the floor.
 */
export function baselineFrames(
  raw: string,
  user: string,
): { roomId: string; message: string; ack: string } | undefined {
  let frame: { type?: string; roomId?: string; clientId?: string; text?: string };
  try {
    frame = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const { roomId, clientId, text } = frame;
  if (frame.type !== "send" || !roomId || !clientId || !text) return undefined;
  const seq = (seqs.get(roomId) ?? 0) + 1;
  seqs.set(roomId, seq);
  const message = {
    id: `m-${process.pid}-${++ids}`,
    roomId,
    seq,
    author: { id: user, name: user },
    text,
    createdAt: new Date().toISOString(),
    editedAt: null,
    deleted: false,
    rev: 0,
    reactions: [],
  };
  return {
    roomId,
    message: JSON.stringify({ type: "message", message }),
    ack: JSON.stringify({ type: "ack", clientId, message }),
  };
}

/** Rooms a baseline connection joins, from `?rooms=a,b` on its URL. */
export const roomsFromUrl = (url: string | undefined) =>
  new URL(url ?? "/", "http://x").searchParams.get("rooms")?.split(",").filter(Boolean) ?? [];

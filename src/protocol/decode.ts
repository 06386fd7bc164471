import { type ClientFrame, clientFrame, type ErrorCode, type ServerFrame } from "./frames";

export type Decoded =
  | { ok: true; frame: ClientFrame }
  | { ok: false; code: ErrorCode; message: string; clientId?: string };

/** Decodes one client frame; never throws, bad input becomes a typed error. */
export function decodeClientFrame(raw: string): Decoded {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, code: "bad_frame", message: "frame is not valid JSON" };
  }
  const result = clientFrame.safeParse(json);
  if (result.success) return { ok: true, frame: result.data };
  const clientId = pickClientId(json);
  const tooLarge = result.error.issues.some((issue) => issue.message === "too_large");
  if (tooLarge) {
    return { ok: false, code: "too_large", message: "message text is over the limit", clientId };
  }
  const issue = result.error.issues[0];
  const where = issue?.path.length ? issue.path.join(".") : "frame";
  const why = issue?.message === "empty" ? "message text is empty" : issue?.message;
  return { ok: false, code: "bad_frame", message: `${where}: ${why ?? "invalid"}`, clientId };
}

function pickClientId(json: unknown): string | undefined {
  if (json && typeof json === "object" && "clientId" in json) {
    const value = (json as { clientId: unknown }).clientId;
    if (typeof value === "string" && value.length <= 64) return value;
  }
  return undefined;
}

/** Encodes a server frame; one call per event so fan-out can reuse the string. */
export function encodeServerFrame(frame: ServerFrame): string {
  return JSON.stringify(frame);
}

import {
  type ClientFrame,
  clientFrame,
  type ErrorCode,
  frameRef,
  type ServerFrame,
} from "./frames";

export type Decoded =
  | { ok: true; frame: ClientFrame }
  | { ok: false; code: ErrorCode; message: string; clientId?: string; ref?: string };

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
  const ref = pickRef(json);
  const refused = (code: ErrorCode, message: string): Decoded =>
    ref === undefined
      ? { ok: false, code, message, clientId }
      : { ok: false, code, message, clientId, ref };
  const tooLarge = result.error.issues.some((issue) => issue.message === "too_large");
  if (tooLarge) {
    return refused("too_large", "message text is over the limit");
  }
  const issue = result.error.issues[0];
  const where = issue?.path.length ? issue.path.join(".") : "frame";
  const why = issue?.message === "empty" ? "message text is empty" : issue?.message;
  return refused("bad_frame", `${where}: ${why ?? "invalid"}`);
}

/**
 * The ref of a frame that did not decode, when it has a valid one (so the
 * refusal can be answered to it); undefined for anything else.
 */
export function pickRef(json: unknown): string | undefined {
  if (json && typeof json === "object" && "ref" in json) {
    const value = (json as { ref: unknown }).ref;
    if (frameRef.safeParse(value).success) return value as string;
  }
  return undefined;
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

/**
 * An incoming webhook's request body (issue 15), read as Slack reads it:
 * JSON `{"text": "...", "username"?: "...", "icon_url"?: "..."}`, or a form
 * (`application/x-www-form-urlencoded`) whose `payload` field holds that
 * JSON. Pure: the route (server/webhooks/incoming.server.ts) reads the
 * capped body and answers what this decides. Every refusal says what is
 * wrong, in the status and words the route sends back as text.
 */
import {
  MAX_MESSAGE_CHARS,
  messageTextIssue,
  normalizeMessageText,
  type WireMessage,
} from "../protocol/frames";
import { checkDisplayName } from "./names";

/** The most a webhook's body may hold; a longer one is refused before more is read. */
export const INCOMING_WEBHOOK_MAX_BYTES = 64 * 1024;

/** The longest icon_url kept (it is stored and shown as a link, never loaded). */
export const ICON_URL_MAX = 2048;

/** A webhook's name is a bot's display name: the same rule as a person's. */
export function checkWebhookName(input: unknown) {
  return checkDisplayName(input);
}

export type HookPost = { text: string; username?: string; iconUrl?: string };

export type HookRefusal = {
  ok: false;
  status: 400 | 415;
  /** Slack's words where it has them (invalid_payload, no_text), else ours. */
  error: "invalid_payload" | "no_text" | "unsupported_media_type";
  message: string;
};

export type HookParse = ({ ok: true } & HookPost) | HookRefusal;

const refuse = (status: 400 | 415, error: HookRefusal["error"], message: string): HookRefusal => ({
  ok: false,
  status,
  error,
  message,
});

/** The media type of a Content-Type header, lowercased, without parameters. */
function mediaTypeOf(contentType: string | null): string {
  return (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/** Decides what a webhook's body asks to post, or why it cannot be posted. */
export function parseHookBody(contentType: string | null, body: string): HookParse {
  const type = mediaTypeOf(contentType);
  let json: string;
  if (type === "application/json") {
    json = body;
  } else if (type === "application/x-www-form-urlencoded") {
    const payload = new URLSearchParams(body).get("payload");
    if (payload === null) {
      return refuse(400, "invalid_payload", "invalid_payload: a form body needs payload=<json>");
    }
    json = payload;
  } else {
    return refuse(
      415,
      "unsupported_media_type",
      `unsupported_media_type: send application/json or application/x-www-form-urlencoded with payload=, not ${type || "no Content-Type"}`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return refuse(400, "invalid_payload", "invalid_payload: the body is not valid JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return refuse(
      400,
      "invalid_payload",
      'invalid_payload: the JSON must be an object, {"text": "..."}',
    );
  }
  return checkFields(value as Record<string, unknown>);
}

function checkFields(body: Record<string, unknown>): HookParse {
  const { text, username, icon_url: iconUrl } = body;
  if (text === undefined || text === null) {
    return refuse(400, "no_text", 'no_text: the body has no "text"');
  }
  if (typeof text !== "string") {
    return refuse(400, "invalid_payload", 'invalid_payload: "text" must be a string');
  }
  const normal = normalizeMessageText(text);
  const issue = messageTextIssue(normal);
  if (issue === "empty") return refuse(400, "no_text", 'no_text: "text" is empty');
  if (issue === "control") {
    return refuse(
      400,
      "invalid_payload",
      'invalid_payload: "text" contains a control character (only tab and newline are allowed)',
    );
  }
  if (issue === "too_large") {
    return refuse(
      400,
      "invalid_payload",
      `invalid_payload: "text" is longer than ${MAX_MESSAGE_CHARS} characters`,
    );
  }
  const post: { ok: true } & HookPost = { ok: true, text: normal };
  if (username !== undefined && username !== null && username !== "") {
    const name = checkDisplayName(username);
    if (!name.ok)
      return refuse(400, "invalid_payload", `invalid_payload: "username": ${name.error}`);
    post.username = name.name;
  }
  if (iconUrl !== undefined && iconUrl !== null && iconUrl !== "") {
    if (!isHttpUrl(iconUrl)) {
      return refuse(400, "invalid_payload", 'invalid_payload: "icon_url" must be an http(s) URL');
    }
    post.iconUrl = iconUrl;
  }
  return post;
}

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== "string" || value.length > ICON_URL_MAX) return false;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

/** message.via for a post: the webhook's name and the overrides it carried. */
export function viaOf(webhook: string, post: HookPost): NonNullable<WireMessage["via"]> {
  const via: NonNullable<WireMessage["via"]> = { webhook };
  if (post.username) via.username = post.username;
  if (post.iconUrl) via.iconUrl = post.iconUrl;
  return via;
}

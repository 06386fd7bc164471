/**
 * Outgoing webhooks (issue 15), the pure rules: which events there are,
 * what a webhook form may hold, and when a failed delivery is tried again.
 * The server side (server/webhooks) stores, sends and signs.
 */
export const WEBHOOK_EVENTS = ["message_created", "mention", "member_joined"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** What the UI shows for each event (the checkboxes' names). */
export const WEBHOOK_EVENT_LABELS: Record<WebhookEvent, string> = {
  message_created: "Message created",
  mention: "Mention",
  member_joined: "Member joined",
};

export function isWebhookEvent(value: unknown): value is WebhookEvent {
  return typeof value === "string" && (WEBHOOK_EVENTS as readonly string[]).includes(value);
}

export const WEBHOOK_NAME_MAX = 80;
export const WEBHOOK_URL_MAX = 2048;

export type WebhookInput = { name: string; targetUrl: string; events: WebhookEvent[] };
export type WebhookCheck = { ok: true; value: WebhookInput } | { ok: false; error: string };

/** Validates a new webhook: a name, an http(s) URL without credentials, one event or more. */
export function checkWebhookInput(input: {
  name: unknown;
  targetUrl: unknown;
  events: unknown;
}): WebhookCheck {
  const name = typeof input.name === "string" ? input.name.trim() : "";
  if (!name) return { ok: false, error: "Enter a webhook name." };
  if (name.length > WEBHOOK_NAME_MAX) {
    return { ok: false, error: `Webhook names are at most ${WEBHOOK_NAME_MAX} characters.` };
  }
  const url = checkTargetUrl(input.targetUrl);
  if (typeof url === "string") return { ok: false, error: url };
  const given = Array.isArray(input.events) ? input.events : [];
  if (!given.every(isWebhookEvent)) return { ok: false, error: "Unknown event." };
  const events = WEBHOOK_EVENTS.filter((event) => given.includes(event));
  if (events.length === 0) return { ok: false, error: "Choose at least one event." };
  return { ok: true, value: { name, targetUrl: url.href, events } };
}

/**
 * An http(s) URL without credentials that Parley may POST to (an outgoing
 * webhook's or a custom command's), or the sentence saying why not.
 */
export function checkTargetUrl(value: unknown): URL | string {
  const raw = typeof value === "string" ? value.trim() : "";
  if (raw.length > WEBHOOK_URL_MAX) return `Target URLs are at most ${WEBHOOK_URL_MAX} characters.`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "Enter a target URL such as https://example.com/hook.";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return "The target URL must start with http:// or https://.";
  }
  if (url.username || url.password) return "The target URL may not hold a user name or password.";
  return url;
}

/** How long a delivery is tried before it is given up on (the issue: 24 hours). */
export const RETRY_WINDOW_MS = 24 * 3_600_000;
/** The longest wait between two tries. */
export const RETRY_CAP_MS = 3_600_000;

/**
 * When to try again after the `attempts`-th failed try (1 for the first):
 * `baseMs` doubled for each failure before it, at most RETRY_CAP_MS, or
 * "give_up" when that time falls past the 24 hours after the event.
 */
export function nextAttempt(
  createdAt: number,
  attempts: number,
  now: number,
  baseMs: number,
): number | "give_up" {
  const exponent = Math.min(Math.max(attempts - 1, 0), 40);
  const wait = Math.min(baseMs * 2 ** exponent, RETRY_CAP_MS);
  const at = now + wait;
  return at > createdAt + RETRY_WINDOW_MS ? "give_up" : at;
}

/** What a stored message sends: message_created always, mention when it mentions someone. */
export function messageEvents(mentions: readonly string[]): WebhookEvent[] {
  return mentions.length > 0 ? ["message_created", "mention"] : ["message_created"];
}

/** The response body's text to post back, if it is `{"text": "<non-empty>"}`. */
export function replyText(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === "object" && "text" in parsed) {
      const text = (parsed as { text: unknown }).text;
      if (typeof text === "string" && text.trim()) return text;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

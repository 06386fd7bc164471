/**
 * Slack's message markup turned into Parley's text (Slack import). Slack
 * escapes `&`, `<` and `>` and writes its references in angle brackets:
 * `<@U123>` (a person), `<#C1|name>` (a channel), `<!here>` (a room-wide
 * mention), `<https://x|label>` and `<mailto:a@b|a@b>` (links). Parley's
 * text is Markdown with `@handle` mentions and bare or `[label](url)` links.
 */
export type SlackNames = {
  /** A Slack user id's Parley handle, or undefined when not imported. */
  handleOf(slackUserId: string): string | undefined;
  /** A Slack channel id's name, or undefined when unknown. */
  channelOf(slackChannelId: string): string | undefined;
};

const SPECIAL: Record<string, string> = {
  here: "@here",
  channel: "@channel",
  everyone: "@all",
};

const unescapeSlack = (text: string) =>
  text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

export function slackToParley(text: string, names: SlackNames): string {
  const converted = text.replace(/<([^<>]*)>/g, (_whole, inner: string) => {
    const bar = inner.indexOf("|");
    const target = bar >= 0 ? inner.slice(0, bar) : inner;
    const label = bar >= 0 ? inner.slice(bar + 1) : "";
    if (target.startsWith("@")) {
      const handle = names.handleOf(target.slice(1));
      if (handle) return `@${handle}`;
      return label ? `@${label}` : "@unknown";
    }
    if (target.startsWith("#")) {
      const name = names.channelOf(target.slice(1)) ?? label;
      return name ? `#${name}` : "#unknown";
    }
    if (target.startsWith("!")) {
      const word = target.slice(1).split("^")[0] ?? "";
      return SPECIAL[word] ?? (label ? `@${label.replace(/^@/, "")}` : "");
    }
    const url = unescapeSlack(target);
    if (url.startsWith("mailto:")) return unescapeSlack(label || url.slice("mailto:".length));
    if (!label || unescapeSlack(label) === url) return url;
    return `[${unescapeSlack(label)}](${url})`;
  });
  return unescapeSlack(converted);
}

/**
 * Slack's `ts` ("1700000000.000100": seconds, a dot, six digits) as a pair
 * that orders exactly; a float would round the microseconds that make two
 * messages of one second distinct.
 */
export function tsKey(ts: string): bigint {
  const [seconds = "0", fraction = ""] = ts.split(".");
  return BigInt(seconds) * 1_000_000n + BigInt(fraction.padEnd(6, "0").slice(0, 6));
}

/** A `ts` in unix milliseconds. */
export function tsToMs(ts: string): number {
  return Number(tsKey(ts) / 1000n);
}

/** Whether `ts` is a Slack timestamp. */
export function isSlackTs(ts: unknown): ts is string {
  return typeof ts === "string" && /^\d{1,12}(\.\d{1,6})?$/.test(ts);
}

/** Slack reaction names with a skin tone ("+1::skin-tone-3") named by their base emoji. */
export function baseEmojiName(name: string): string {
  return name.split("::")[0] ?? name;
}

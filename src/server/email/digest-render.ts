/** One unread mention or DM as the missed-message email lists it. */
export type DigestItem = {
  roomName: string;
  dm: boolean;
  author: string;
  text: string;
  /** Absolute link to the message. */
  url: string;
};

export type RenderedDigest = { subject: string; text: string; html: string };

/** Longest snippet of a message's text, in characters: an email lists, the room shows. */
export const SNIPPET_CHARS = 200;

export function snippet(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const chars = [...flat];
  return chars.length > SNIPPET_CHARS ? `${chars.slice(0, SNIPPET_CHARS - 1).join("")}…` : flat;
}

/** Message text, names and links are other people's input: every one is escaped. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const where = (item: DigestItem) =>
  item.dm ? `${item.author} (direct message)` : `${item.author} in #${item.roomName}`;

/** The missed-message email: subject, plain text and HTML, each listing every item. */
export function renderDigest(items: readonly DigestItem[], unsubscribeUrl: string): RenderedDigest {
  const count = items.length;
  const subject =
    count === 1
      ? `You missed a message from ${items[0]?.author ?? "someone"} on Parley`
      : `You missed ${count} messages on Parley`;
  const lines = [
    count === 1 ? "You have an unread message:" : `You have ${count} unread messages:`,
    "",
  ];
  for (const item of items) {
    lines.push(`${where(item)}:`, `  ${snippet(item.text)}`, `  ${item.url}`, "");
  }
  lines.push("To stop these emails, open:", unsubscribeUrl, "");
  const rows = items
    .map(
      (item) =>
        `<li style="margin:0 0 12px"><strong>${escapeHtml(where(item))}</strong><br>` +
        `${escapeHtml(snippet(item.text))}<br>` +
        `<a href="${escapeHtml(item.url)}">Open message</a></li>`,
    )
    .join("\n");
  const html = [
    "<!doctype html>",
    '<html><body style="font-family:sans-serif">',
    `<p>${count === 1 ? "You have an unread message:" : `You have ${count} unread messages:`}</p>`,
    `<ul style="padding-left:16px">\n${rows}\n</ul>`,
    `<p style="font-size:12px;color:#666"><a href="${escapeHtml(unsubscribeUrl)}">Unsubscribe</a> from missed-message email.</p>`,
    "</body></html>",
  ].join("\n");
  return { subject, text: lines.join("\n"), html };
}

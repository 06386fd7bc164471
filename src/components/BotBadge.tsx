/**
 * The "bot" badge beside a bot account's name (issue 15): plain text, so
 * a screen reader reads "Name bot" and tests find it by its text.
 */
export function BotBadge() {
  return (
    <span
      data-bot-badge=""
      className="shrink-0 rounded bg-indigo-100 px-1 text-xs font-medium text-indigo-900"
    >
      bot
    </span>
  );
}

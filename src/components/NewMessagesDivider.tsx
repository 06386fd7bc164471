/** Marks where the unread part of the conversation began when the room was opened. */
export function NewMessagesDivider() {
  // Between two lists of the log, not in one: a list holds only messages.
  return (
    // biome-ignore lint/a11y/useSemanticElements: an <hr> cannot show the visible label
    <div
      role="separator"
      aria-label="New messages"
      data-new-messages=""
      className="flex items-center gap-3 py-1 text-xs font-medium text-rose-600"
    >
      <span className="h-px flex-1 bg-rose-200" />
      New messages
      <span className="h-px flex-1 bg-rose-200" />
    </div>
  );
}

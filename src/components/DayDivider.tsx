/** A date divider in the log ("Today", "Yesterday", "Monday, November 30"), between two lists. */
export function DayDivider({ label }: { label: string }) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: an <hr> cannot show the visible label
    <div
      role="separator"
      aria-label={label}
      className="sticky top-0 z-[5] flex items-center gap-3 py-1 text-xs font-semibold text-slate-600"
    >
      <span className="h-px flex-1 bg-slate-200" />
      <span className="rounded-full border border-slate-200 bg-white px-2.5 py-0.5">{label}</span>
      <span className="h-px flex-1 bg-slate-200" />
    </div>
  );
}

/**
 * A bell, struck through when muted: drawn, not an emoji (a browser without
 * an emoji font shows a box for 🔔). Decorative: the control around it is named.
 */
export function BellIcon({
  muted = false,
  className = "h-4 w-4",
}: {
  muted?: boolean;
  className?: string;
}) {
  return (
    <svg aria-hidden="true" viewBox="0 0 16 16" className={className}>
      <path
        d="M8 2a4 4 0 0 0-4 4v2.5L2.5 11h11L12 8.5V6a4 4 0 0 0-4-4zM6.5 12.5a1.5 1.5 0 0 0 3 0"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.4"
        strokeLinejoin="round"
      />
      {muted && <path d="M2.5 2.5l11 11" stroke="currentColor" strokeWidth="1.4" />}
    </svg>
  );
}

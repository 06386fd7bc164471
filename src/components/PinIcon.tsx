/** A push-pin glyph in the text colour (an SVG: emoji fonts are not everywhere). */
export function PinIcon({ className = "h-3.5 w-3.5" }: { className?: string }) {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 16 16"
      fill="currentColor"
      className={`inline-block shrink-0 ${className}`}
    >
      <path d="M9.8 1.2a.75.75 0 0 1 1.06 0l3.94 3.94a.75.75 0 0 1-.37 1.26l-1.9.43-2.3 2.3.4 2.93a.75.75 0 0 1-1.27.63L7 10.33l-3.72 3.72a.75.75 0 0 1-1.06-1.06L5.94 9.3 3.57 6.92a.75.75 0 0 1 .63-1.27l2.93.4 2.3-2.3.43-1.9a.75.75 0 0 1-.06-.65Z" />
    </svg>
  );
}

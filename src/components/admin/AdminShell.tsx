import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { ThemeControl } from "../ThemeControl";

const LINKS = [
  { to: "/admin/users", label: "Users" },
  { to: "/admin/rooms", label: "Rooms" },
  { to: "/admin/bots", label: "Bots" },
  { to: "/admin/audit", label: "Audit log" },
  { to: "/admin/webhooks", label: "Webhooks" },
  { to: "/admin/commands", label: "Commands" },
  { to: "/admin/settings", label: "Settings" },
] as const;

/**
 * The frame of every /admin page (issue 14): the navigation landmark
 * "Admin" with its links (the current one marked), a way back to the
 * chat, and the page in <main>.
 */
export function AdminShell({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-full flex-col md:flex-row">
      <div className="flex shrink-0 flex-col gap-4 border-b border-slate-200 bg-slate-100 p-3 md:w-56 md:border-r md:border-b-0">
        <header>
          <p className="px-2 text-lg font-bold text-indigo-700">Parley admin</p>
        </header>
        <nav aria-label="Admin">
          <ul className="flex flex-wrap gap-1 md:flex-col">
            {LINKS.map((link) => (
              <li key={link.to}>
                <Link
                  to={link.to}
                  className="block rounded-md px-2 py-1 text-sm text-slate-700 hover:bg-slate-200 focus-visible:outline-2 focus-visible:outline-indigo-500 aria-[current=page]:bg-indigo-100 aria-[current=page]:font-medium aria-[current=page]:text-indigo-800"
                >
                  {link.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <footer className="flex flex-col gap-2 border-t border-slate-200 pt-3">
          <Link
            to="/r/$slug"
            params={{ slug: "general" }}
            className="rounded-md px-2 py-1 text-sm text-indigo-700 underline hover:bg-slate-200 focus-visible:outline-2 focus-visible:outline-indigo-500"
          >
            Back to chat
          </Link>
          <ThemeControl />
        </footer>
      </div>
      <main className="min-w-0 flex-1 bg-white px-4 py-3">{children}</main>
    </div>
  );
}

/** Previous / next page buttons under a console table, with where one is. */
export function Pager({
  offset,
  size,
  total,
  onMove,
}: {
  offset: number;
  size: number;
  total: number;
  onMove: (offset: number) => void;
}) {
  if (total <= size) return null;
  const last = Math.min(total, offset + size);
  return (
    <div className="mt-3 flex items-center gap-3 text-sm text-slate-700">
      <button
        type="button"
        disabled={offset === 0}
        onClick={() => onMove(Math.max(0, offset - size))}
        className={buttonClass}
      >
        Previous
      </button>
      <span>
        {offset + 1}–{last} of {total}
      </span>
      <button
        type="button"
        disabled={last >= total}
        onClick={() => onMove(offset + size)}
        className={buttonClass}
      >
        Next
      </button>
    </div>
  );
}

export const buttonClass =
  "rounded-md border border-slate-300 px-2 py-1 text-sm text-slate-800 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500 disabled:cursor-not-allowed disabled:text-slate-500";
export const primaryClass =
  "rounded-md bg-indigo-600 px-3 py-1 text-sm font-medium text-white hover:bg-indigo-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 disabled:bg-indigo-400";
export const inputClass =
  "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900 outline-none focus:border-indigo-500 focus-visible:outline-2 focus-visible:outline-indigo-500";
export const cellClass = "border-b border-slate-200 px-2 py-1.5 text-left align-top";

/** A time as the console shows it (the viewer's locale and zone). */
export function shownTime(ms: number | null): string {
  if (ms === null) return "Never";
  return new Date(ms).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** The text of a refused or failed call. */
export function failureOf(error: unknown): string {
  return error instanceof Error && error.message ? error.message : "Something went wrong.";
}

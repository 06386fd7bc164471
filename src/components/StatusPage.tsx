import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";

type Props = {
  title: string;
  children: ReactNode;
  /** Buttons beside the way back (say, "Try again"). */
  actions?: ReactNode;
  /** The way back: a client-side link, so it works while the server is unreachable. */
  back?: { slug: string; label: string };
};

/**
 * A full page for when the page itself cannot be shown (unknown address,
 * a route that failed, a room that cannot load offline): the wordmark, a
 * heading and always a way back, inside <main>, in palette colours only so
 * light and dark both read at AA.
 */
export function StatusPage({
  title,
  children,
  actions,
  back = { slug: "general", label: "Go to #general" },
}: Props) {
  return (
    <main className="flex min-h-full items-center justify-center p-4">
      <div className="w-full max-w-md space-y-4 rounded-2xl bg-white p-8 shadow-sm ring-1 ring-slate-200">
        <p className="text-lg font-bold text-indigo-700">Parley</p>
        <h1 className="text-2xl font-semibold text-slate-900">{title}</h1>
        <div className="space-y-2 text-slate-700">{children}</div>
        <div className="flex flex-wrap items-center gap-3 pt-2">
          {actions}
          <Link
            to="/r/$slug"
            params={{ slug: back.slug }}
            className="font-medium text-indigo-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-500"
          >
            {back.label}
          </Link>
        </div>
      </div>
    </main>
  );
}

/** The primary button of a status page. */
export function StatusPageButton({ onClick, children }: { onClick: () => void; children: string }) {
  return (
    <button
      type="button"
      onClick={onClick}
      className="rounded-lg bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500"
    >
      {children}
    </button>
  );
}

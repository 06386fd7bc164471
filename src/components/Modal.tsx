import { type ReactNode, useEffect, useId, useRef } from "react";

/**
 * A modal dialog on the native <dialog> (showModal): the browser traps
 * focus, makes the page behind inert and closes on Escape; focus starts on
 * the element marked `data-autofocus` and goes back where it was after.
 * Named by its visible title.
 */
export function Modal({
  title,
  onClose,
  children,
  wide = false,
  drawer = false,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Most of the window (the image viewer) instead of a 32rem box. */
  wide?: boolean;
  /** A full-height sheet at the left edge (the phone's "Rooms" drawer). */
  drawer?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // Unmounted by the page (another dialog replaced this one): that close is not the person's.
  const unmounted = useRef(false);
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement;
    unmounted.current = false;
    if (dialog && !dialog.open) dialog.showModal();
    // showModal focuses the first control; a dialog may name a better one.
    dialog?.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    return () => {
      unmounted.current = true;
      dialog?.close();
      // Back where the person was (the composer, a button), if it is still
      // there. A frame later, and afresh: Chromium focuses it on close while
      // it is still inert, and a textarea focused then takes no typing.
      // Blurred at once, so nothing (a test, a screen reader) sees the
      // composer focused before it can take keys.
      if (!(opener instanceof HTMLElement)) return;
      if (document.activeElement === opener) opener.blur();
      requestAnimationFrame(() => {
        if (!opener.isConnected) return;
        if (document.activeElement === opener) opener.blur();
        opener.focus();
      });
    };
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={(event) => {
        // React passes a nested dialog's close up the tree: only this one's counts.
        if (event.target !== ref.current) return;
        if (!unmounted.current) onClose();
      }}
      // Escape is this dialog's (the browser closes it): it must not also reach
      // a panel around it (the thread closes on Escape too).
      onKeyDown={(event) => {
        if (event.key === "Escape") event.stopPropagation();
      }}
      // A click on the backdrop lands on the <dialog> itself: close, like Escape.
      onClick={(event) => {
        if (event.target === ref.current) ref.current?.close();
      }}
      className={`${
        drawer
          ? "m-0 h-dvh max-h-none w-[min(20rem,85vw)] border-r"
          : `m-auto rounded-xl border ${
              wide
                ? "mt-[4vh] w-[min(64rem,calc(100vw-2rem))]"
                : "mt-[12vh] w-[min(32rem,calc(100vw-2rem))]"
            }`
      } border-slate-200 bg-white p-0 text-slate-900 shadow-xl`}
    >
      <div className="flex flex-col gap-3 p-4">
        <div className="flex items-center justify-between gap-2">
          <h2 id={titleId} className="text-base font-semibold">
            {title}
          </h2>
          <button
            type="button"
            onClick={() => ref.current?.close()}
            className="rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100"
          >
            Close
          </button>
        </div>
        {children}
      </div>
    </dialog>
  );
}

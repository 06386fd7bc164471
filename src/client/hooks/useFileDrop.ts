import { type RefObject, useEffect, useState } from "react";

/** Whether a drag carries files (not text or a link dragged within the page). */
function carriesFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes("Files") ?? false;
}

/**
 * Files dropped anywhere on `target` (the conversation) go to `onFiles`.
 * Returns whether files are being dragged over it, for a visible cue.
 * Drags of anything else are left to the browser.
 */
export function useFileDrop(
  target: RefObject<HTMLElement | null> | undefined,
  onFiles: (files: File[]) => void,
  enabled: boolean,
): boolean {
  const [over, setOver] = useState(false);
  useEffect(() => {
    const el = target?.current;
    if (!el || !enabled) {
      setOver(false);
      return;
    }
    const onDragOver = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      // Without this the browser opens the file instead of dropping it here.
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = "copy";
      setOver(true);
    };
    const onDragLeave = (event: DragEvent) => {
      // Leaving for a child of the target is not leaving.
      const to = event.relatedTarget;
      if (to instanceof Node && el.contains(to)) return;
      setOver(false);
    };
    const onDrop = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      setOver(false);
      const files = [...(event.dataTransfer?.files ?? [])];
      if (files.length > 0) onFiles(files);
    };
    el.addEventListener("dragover", onDragOver);
    el.addEventListener("dragleave", onDragLeave);
    el.addEventListener("drop", onDrop);
    return () => {
      el.removeEventListener("dragover", onDragOver);
      el.removeEventListener("dragleave", onDragLeave);
      el.removeEventListener("drop", onDrop);
    };
  }, [target, onFiles, enabled]);

  // Files let go outside the target (the sidebar, a margin) are ignored:
  // the browser would otherwise open the file in place of the app.
  useEffect(() => {
    const ignore = (event: DragEvent) => {
      if (carriesFiles(event) && !event.defaultPrevented) event.preventDefault();
    };
    window.addEventListener("dragover", ignore);
    window.addEventListener("drop", ignore);
    return () => {
      window.removeEventListener("dragover", ignore);
      window.removeEventListener("drop", ignore);
    };
  }, []);
  return over;
}

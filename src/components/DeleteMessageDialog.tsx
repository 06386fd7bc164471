import type { KeyboardEvent, MouseEvent } from "react";
import { Modal } from "./Modal";

/**
 * "Delete message?": Delete (focused first, so Enter confirms) and Cancel.
 * Escape, the backdrop and Close cancel too (the native dialog's own close).
 */
export function DeleteMessageDialog({
  onConfirm,
  onCancel,
}: {
  onConfirm: () => void;
  onCancel: () => void;
}) {
  // The Enter that chose "Delete" in the menu can arrive here too: the dialog
  // opens and focuses its Delete button during that key's keydown, and
  // Chromium clicks a button on the keypress that follows. Under load a
  // keyboard click reached Delete after Escape (a browser test saw a reply
  // deleted that Escape had cancelled). So the keyboard confirms only on a
  // keydown of Enter or Space on Delete itself, and a click counts only
  // from a pointer (detail > 0); keyboard clicks (detail 0) never confirm.
  const confirmByKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    // No click follows (Enter's keypress, Space's keyup).
    event.preventDefault();
    if (!event.repeat) onConfirm();
  };
  const confirmByPointer = (event: MouseEvent<HTMLButtonElement>) => {
    if (event.detail > 0) onConfirm();
  };
  return (
    <Modal title="Delete message?" onClose={onCancel}>
      <p className="text-sm text-slate-700">
        It will show as “Message deleted” for everyone in the room. This cannot be undone.
      </p>
      <div className="flex justify-end gap-2">
        <button
          type="button"
          onClick={onCancel}
          className="rounded-md border border-slate-300 px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500"
        >
          Cancel
        </button>
        <button
          type="button"
          data-autofocus
          onClick={confirmByPointer}
          onKeyDown={confirmByKey}
          className="rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-700"
        >
          Delete
        </button>
      </div>
    </Modal>
  );
}

import { type MouseEvent, useRef } from "react";
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
  // Chromium clicks a button on the keypress that follows. A keyboard click
  // (detail 0) counts only after a key went down inside the dialog.
  const armed = useRef(false);
  const arm = () => {
    armed.current = true;
  };
  const confirm = (event: MouseEvent<HTMLButtonElement>) => {
    if (event.detail === 0 && !armed.current) return;
    onConfirm();
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
          onKeyDown={arm}
          className="rounded-md border border-slate-300 px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500"
        >
          Cancel
        </button>
        <button
          type="button"
          data-autofocus
          onClick={confirm}
          onKeyDown={arm}
          className="rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-700"
        >
          Delete
        </button>
      </div>
    </Modal>
  );
}

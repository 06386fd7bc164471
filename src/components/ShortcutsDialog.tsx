import { SHORTCUTS } from "../client/shortcuts";
import { Modal } from "./Modal";

/** The "Keyboard shortcuts" dialog: every shortcut and what it does. */
export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose}>
      <table className="w-full text-sm">
        <thead className="sr-only">
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((shortcut) => (
            <tr key={shortcut.what} className="border-t border-slate-200 first:border-t-0">
              <td className="py-1.5 pr-4 whitespace-nowrap">
                {shortcut.keys.map((key, index) => (
                  <span key={key}>
                    {index > 0 && <span className="px-1 text-slate-600">or</span>}
                    <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-sans text-xs text-slate-800">
                      {key}
                    </kbd>
                  </span>
                ))}
              </td>
              <td className="py-1.5 text-slate-700">{shortcut.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}

import { useId } from "react";

/**
 * A new webhook's or command's signing secret (issue 15), shown once as a
 * read-only field "Signing secret" that selects itself on focus for
 * copying, with a line saying who verifies with it.
 */
export function SigningSecret({ value, note }: { value: string; note: string }) {
  const id = useId();
  return (
    <div className="rounded-md border border-amber-300 p-2 text-sm text-slate-800">
      <label htmlFor={id} className="block font-medium">
        Signing secret
      </label>
      <input
        id={id}
        readOnly
        value={value}
        className="w-full rounded-md border border-slate-300 bg-white px-2 py-1 font-mono text-sm text-slate-900"
        onFocus={(e) => e.target.select()}
      />
      <p className="mt-1 text-slate-700">{note}</p>
    </div>
  );
}

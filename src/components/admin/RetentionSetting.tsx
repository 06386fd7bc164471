import { useEffect, useId, useState } from "react";
import { MAX_RETENTION_DAYS } from "../../core/retention";
import { saveServerRetentionFn, serverRetentionFn } from "../../server/fns/retention";
import { failureOf, inputClass, primaryClass } from "./AdminShell";

const asField = (days: number | null) => (days === null ? "" : String(days));

/**
 * /admin/settings, "Message retention" (issue 15): the server-wide "Keep
 * messages for N days", empty for forever. Its own form and button: it
 * deletes history, so it is never saved by accident with the other settings.
 */
export function RetentionSetting() {
  const ids = { field: useId(), hint: useId(), error: useId() };
  const [value, setValue] = useState<string | null>(null);
  const [error, setError] = useState("");
  const [status, setStatus] = useState("");

  useEffect(() => {
    serverRetentionFn().then(
      (answer) => setValue(asField(answer.days)),
      (failure: unknown) => setStatus(failureOf(failure)),
    );
  }, []);

  return (
    <section aria-labelledby={`${ids.field}-heading`} className="text-sm text-slate-800">
      <h2 id={`${ids.field}-heading`} className="mb-2 text-lg font-semibold text-slate-900">
        Message retention
      </h2>
      <form
        aria-label="Message retention"
        className="flex flex-col gap-2"
        onSubmit={async (event) => {
          event.preventDefault();
          if (value === null) return;
          setError("");
          setStatus("Saving…");
          try {
            const answer = await saveServerRetentionFn({ data: { days: value } });
            if (answer.ok) {
              setValue(asField(answer.days));
              setStatus(
                answer.days === null
                  ? "Saved: messages are kept forever."
                  : `Saved: messages older than ${answer.days} days will be deleted.`,
              );
            } else {
              setError(answer.error);
              setStatus("Not saved: see the field.");
            }
          } catch (failure) {
            setStatus(failureOf(failure));
          }
        }}
      >
        <label htmlFor={ids.field} className="font-medium">
          Keep messages for (days)
        </label>
        <input
          id={ids.field}
          inputMode="numeric"
          value={value ?? ""}
          disabled={value === null}
          placeholder="forever"
          onChange={(event) => setValue(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${ids.hint} ${ids.error}` : ids.hint}
          className={`${inputClass} w-40`}
        />
        <p id={ids.hint} className="text-slate-600">
          Empty keeps messages forever. Otherwise 1 to {MAX_RETENTION_DAYS} days: older messages,
          and their files, are deleted in every room without a limit of its own (see Rooms).
        </p>
        {error && (
          <p id={ids.error} className="text-red-700">
            {error}
          </p>
        )}
        <div className="flex items-center gap-3">
          <button type="submit" className={primaryClass}>
            Save retention
          </button>
          <p role="status" className="text-slate-700">
            {status}
          </p>
        </div>
      </form>
    </section>
  );
}

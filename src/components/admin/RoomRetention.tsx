import { useId, useState } from "react";
import { saveRoomRetentionFn } from "../../server/fns/retention";
import { buttonClass, failureOf, inputClass } from "./AdminShell";

/**
 * One room's "Keep messages for N days" in the /admin/rooms table (issue
 * 15): empty follows the server's setting; a number overrides it. The
 * outcome is told through the page's status line.
 */
export function RoomRetention({
  roomId,
  name,
  days,
  onDone,
}: {
  roomId: string;
  name: string;
  days: number | null;
  onDone: (message: string) => void;
}) {
  const errorId = useId();
  const [value, setValue] = useState(days === null ? "" : String(days));
  const [error, setError] = useState("");
  return (
    <form
      aria-label={`Retention of #${name}`}
      className="flex flex-col gap-1"
      onSubmit={async (event) => {
        event.preventDefault();
        setError("");
        try {
          const answer = await saveRoomRetentionFn({ data: { roomId, days: value } });
          if (answer.ok) {
            setValue(answer.days === null ? "" : String(answer.days));
            onDone(
              answer.days === null
                ? `#${name} follows the server's retention.`
                : `#${name} keeps messages for ${answer.days} days.`,
            );
          } else {
            setError(answer.error);
            onDone(`Not saved: ${answer.error}`);
          }
        } catch (failure) {
          onDone(failureOf(failure));
        }
      }}
    >
      <div className="flex items-center gap-1">
        <input
          aria-label={`Keep messages in #${name} for (days)`}
          inputMode="numeric"
          placeholder="server's"
          value={value}
          onChange={(event) => setValue(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          className={`${inputClass} w-24`}
        />
        <button type="submit" aria-label={`Save retention of #${name}`} className={buttonClass}>
          Save
        </button>
      </div>
      {error && (
        <p id={errorId} className="text-red-700">
          {error}
        </p>
      )}
    </form>
  );
}

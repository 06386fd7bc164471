import { useCallback, useEffect, useId, useState } from "react";
import { AUDIT_ACTIONS, type AuditAction } from "../../core/audit";
import { adminAuditFn } from "../../server/fns/admin";
import { cellClass, failureOf, inputClass, Pager, shownTime } from "./AdminShell";

type Page = Awaited<ReturnType<typeof adminAuditFn>>;

const PAGE_SIZE = 50;

type Filter = { actorId: string; action: string; from: string; to: string };

/** A date field's value as the start (or end) of that day, local time; undefined when empty. */
function dayBound(value: string, end: boolean): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const day = new Date(`${value}T00:00:00`);
  if (Number.isNaN(day.getTime())) return undefined;
  return end ? day.getTime() + 86_400_000 - 1 : day.getTime();
}

/**
 * /admin/audit: the table "Audit log" (time, actor, action, target, room,
 * details), newest first and paged, filtered by actor, action and a date
 * range (days, inclusive).
 */
export function AdminAuditPage() {
  const ids = { actor: useId(), action: useId(), from: useId(), to: useId() };
  const [filter, setFilter] = useState<Filter>({ actorId: "", action: "", from: "", to: "" });
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<Page | null>(null);
  const [status, setStatus] = useState("");

  const load = useCallback(async (f: Filter, at: number) => {
    try {
      const from = dayBound(f.from, false);
      const to = dayBound(f.to, true);
      setPage(
        await adminAuditFn({
          data: {
            offset: at,
            ...(f.actorId && { actorId: f.actorId }),
            ...(f.action && { action: f.action as AuditAction }),
            ...(from !== undefined && { from }),
            ...(to !== undefined && { to }),
          },
        }),
      );
      setStatus("");
    } catch (error) {
      setStatus(failureOf(error));
    }
  }, []);
  useEffect(() => {
    void load(filter, offset);
  }, [load, filter, offset]);

  const set = (key: keyof Filter) => (value: string) => {
    setFilter((f) => ({ ...f, [key]: value }));
    setOffset(0);
  };

  return (
    <div className="max-w-6xl">
      <h1 className="mb-3 text-xl font-semibold text-slate-900">Audit log</h1>
      <form
        aria-label="Filter the audit log"
        className="mb-3 flex flex-wrap items-end gap-3 text-sm text-slate-700"
        onSubmit={(event) => event.preventDefault()}
      >
        <div className="flex flex-col">
          <label htmlFor={ids.actor}>Actor</label>
          <select
            id={ids.actor}
            value={filter.actorId}
            onChange={(e) => set("actorId")(e.target.value)}
            className={inputClass}
          >
            <option value="">Anyone</option>
            {page?.actors.map((actor) => (
              <option key={actor.id} value={actor.id}>
                {actor.name}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col">
          <label htmlFor={ids.action}>Action</label>
          <select
            id={ids.action}
            value={filter.action}
            onChange={(e) => set("action")(e.target.value)}
            className={inputClass}
          >
            <option value="">Any action</option>
            {AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col">
          <label htmlFor={ids.from}>From</label>
          <input
            id={ids.from}
            type="date"
            value={filter.from}
            onChange={(e) => set("from")(e.target.value)}
            className={inputClass}
          />
        </div>
        <div className="flex flex-col">
          <label htmlFor={ids.to}>To</label>
          <input
            id={ids.to}
            type="date"
            value={filter.to}
            onChange={(e) => set("to")(e.target.value)}
            className={inputClass}
          />
        </div>
      </form>
      <p role="status" className="mb-2 min-h-5 text-sm text-slate-700">
        {status}
      </p>
      {!page ? (
        <p className="text-sm text-slate-600">Loading…</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full border-collapse text-sm text-slate-800">
            <caption className="sr-only">Audit log</caption>
            <thead>
              <tr className="text-slate-600">
                {["Time", "Actor", "Action", "Target", "Room", "Details"].map((name) => (
                  <th key={name} scope="col" className={cellClass}>
                    {name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {page.rows.map((row) => (
                <tr key={row.id}>
                  <td className={cellClass}>
                    <time dateTime={new Date(row.at).toISOString()}>{shownTime(row.at)}</time>
                  </td>
                  <td className={cellClass}>{row.actorName ?? row.actorId}</td>
                  <td className={`${cellClass} font-mono`}>{row.action}</td>
                  <td className={cellClass}>{row.targetName ?? row.targetUserId ?? ""}</td>
                  <td className={cellClass}>{row.roomName ? `#${row.roomName}` : ""}</td>
                  <td className={`${cellClass} font-mono text-xs break-all`}>
                    {row.details === "{}" ? "" : row.details}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {page.rows.length === 0 && (
            <p className="mt-2 text-sm text-slate-600">No entries match.</p>
          )}
          <Pager offset={offset} size={PAGE_SIZE} total={page.total} onMove={setOffset} />
        </div>
      )}
    </div>
  );
}

import { useCallback, useEffect, useId, useState } from "react";
import { SERVER_ROLES, type ServerRole } from "../../core/admin-policy";
import {
  adminUsersFn,
  changeRoleFn,
  sendPasswordResetFn,
  setDeactivatedFn,
} from "../../server/fns/admin";
import { Modal } from "../Modal";
import {
  buttonClass,
  cellClass,
  failureOf,
  inputClass,
  Pager,
  primaryClass,
  shownTime,
} from "./AdminShell";

type Page = Awaited<ReturnType<typeof adminUsersFn>>;
type Row = Page["rows"][number];

const PAGE_SIZE = 50;

const ROLE_LABEL: Record<ServerRole, string> = {
  owner: "Owner",
  admin: "Admin",
  member: "Member",
  guest: "Guest",
};

/**
 * /admin/users: the table "Users" (name, email, role, status, last seen),
 * searchable and paged, with "Change role", "Deactivate" or "Reactivate"
 * and "Send password reset" on every row. What each did (or why it was
 * refused) is announced in the status line above the table.
 */
export function AdminUsersPage() {
  const searchId = useId();
  const [typed, setTyped] = useState("");
  const [query, setQuery] = useState("");
  // The search asks the server once typing pauses, not on every key.
  useEffect(() => {
    const timer = setTimeout(() => {
      setQuery(typed.trim());
      setOffset(0);
    }, 250);
    return () => clearTimeout(timer);
  }, [typed]);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<Page | null>(null);
  const [status, setStatus] = useState("");
  const [changing, setChanging] = useState<Row | null>(null);

  const load = useCallback(async (q: string, at: number) => {
    try {
      setPage(await adminUsersFn({ data: { query: q || undefined, offset: at } }));
    } catch (error) {
      setStatus(failureOf(error));
    }
  }, []);
  useEffect(() => {
    void load(query, offset);
  }, [load, query, offset]);

  const act = async (what: () => Promise<{ ok: boolean; error?: string }>, done: string) => {
    setStatus("Working…");
    try {
      const answer = await what();
      setStatus(answer.ok ? done : (answer.error ?? "Refused."));
    } catch (error) {
      setStatus(failureOf(error));
    }
    await load(query, offset);
  };

  return (
    <div className="max-w-5xl">
      <h1 className="mb-3 text-xl font-semibold text-slate-900">Users</h1>
      <search className="mb-3 flex items-center gap-2">
        <label htmlFor={searchId} className="text-sm text-slate-700">
          Search users
        </label>
        <input
          id={searchId}
          type="search"
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          className={inputClass}
        />
      </search>
      <p role="status" className="mb-2 min-h-5 text-sm text-slate-700">
        {status}
      </p>
      {!page ? (
        <p className="text-sm text-slate-600">Loading…</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full border-collapse text-sm text-slate-800">
            <caption className="sr-only">Users</caption>
            <thead>
              <tr className="text-slate-600">
                <th scope="col" className={cellClass}>
                  Name
                </th>
                <th scope="col" className={cellClass}>
                  Email
                </th>
                <th scope="col" className={cellClass}>
                  Role
                </th>
                <th scope="col" className={cellClass}>
                  Status
                </th>
                <th scope="col" className={cellClass}>
                  Last seen
                </th>
                <th scope="col" className={cellClass}>
                  Actions
                </th>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((row) => (
                <tr key={row.id}>
                  <th scope="row" className={`${cellClass} font-medium`}>
                    {row.name}
                    {row.handle && (
                      <span className="block font-normal text-slate-600">@{row.handle}</span>
                    )}
                  </th>
                  <td className={cellClass}>{row.email}</td>
                  <td className={cellClass}>{ROLE_LABEL[row.role]}</td>
                  <td className={cellClass}>
                    {row.deactivatedAt === null ? "Active" : "Deactivated"}
                  </td>
                  <td className={cellClass}>{shownTime(row.lastSeen)}</td>
                  <td className={cellClass}>
                    <div className="flex flex-wrap gap-1">
                      <button
                        type="button"
                        className={buttonClass}
                        onClick={() => setChanging(row)}
                      >
                        Change role
                      </button>
                      {row.deactivatedAt === null ? (
                        <button
                          type="button"
                          className={buttonClass}
                          onClick={() =>
                            act(
                              () =>
                                setDeactivatedFn({ data: { userId: row.id, deactivated: true } }),
                              `${row.name} is deactivated and signed out everywhere.`,
                            )
                          }
                        >
                          Deactivate
                        </button>
                      ) : (
                        <button
                          type="button"
                          className={buttonClass}
                          onClick={() =>
                            act(
                              () =>
                                setDeactivatedFn({ data: { userId: row.id, deactivated: false } }),
                              `${row.name} can sign in again.`,
                            )
                          }
                        >
                          Reactivate
                        </button>
                      )}
                      <button
                        type="button"
                        className={buttonClass}
                        onClick={() =>
                          act(
                            () => sendPasswordResetFn({ data: { userId: row.id } }),
                            `A password reset link is on its way to ${row.email ?? row.name}.`,
                          )
                        }
                      >
                        Send password reset
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {page.rows.length === 0 && <p className="mt-2 text-sm text-slate-600">Nobody found.</p>}
          <Pager offset={offset} size={PAGE_SIZE} total={page.total} onMove={setOffset} />
        </div>
      )}
      {changing && (
        <ChangeRoleDialog
          row={changing}
          onClose={() => setChanging(null)}
          onChanged={async (role) => {
            setChanging(null);
            setStatus(`${changing.name} is now ${ROLE_LABEL[role].toLowerCase()}.`);
            await load(query, offset);
          }}
        />
      )}
    </div>
  );
}

/** The "Change role" dialog: the roles as radios; a refusal shows in it, by the choice. */
function ChangeRoleDialog({
  row,
  onClose,
  onChanged,
}: {
  row: Row;
  onClose: () => void;
  onChanged: (role: ServerRole) => void;
}) {
  const [role, setRole] = useState<ServerRole>(row.role);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const errorId = useId();
  return (
    <Modal title="Change role" onClose={onClose}>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          setError("");
          try {
            const answer = await changeRoleFn({ data: { userId: row.id, role } });
            if (answer.ok) onChanged(role);
            else setError(answer.error);
          } catch (failure) {
            setError(failureOf(failure));
          } finally {
            setBusy(false);
          }
        }}
      >
        <fieldset aria-describedby={error ? errorId : undefined}>
          <legend className="mb-2 text-sm text-slate-700">Server role of {row.name}</legend>
          {SERVER_ROLES.map((value) => (
            <label key={value} className="flex items-center gap-2 py-0.5 text-sm text-slate-800">
              <input
                type="radio"
                name="role"
                value={value}
                checked={role === value}
                onChange={() => setRole(value)}
                className="accent-indigo-600"
                {...(value === row.role && { "data-autofocus": true })}
              />
              {ROLE_LABEL[value]}
            </label>
          ))}
        </fieldset>
        {error && (
          <p id={errorId} role="alert" className="mt-2 text-sm text-red-700">
            {error}
          </p>
        )}
        <div className="mt-3 flex gap-2">
          <button type="submit" disabled={busy} className={primaryClass}>
            Save role
          </button>
          <button type="button" onClick={onClose} className={buttonClass}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}

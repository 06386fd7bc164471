import { useCallback, useEffect, useState } from "react";
import { adminArchiveRoomFn, adminRoomsFn, deleteRoomFn } from "../../server/fns/admin";
import { Modal } from "../Modal";
import { buttonClass, cellClass, failureOf, Pager } from "./AdminShell";
import { RoomRetention } from "./RoomRetention";

type Page = Awaited<ReturnType<typeof adminRoomsFn>>;
type Row = Page["rows"][number];

const PAGE_SIZE = 50;

/**
 * /admin/rooms: the table "Rooms" (name, kind, members, messages, state)
 * with "Archive" / "Unarchive" and "Delete" (after a confirm dialog; the
 * default room has no "Delete").
 */
export function AdminRoomsPage() {
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<Page | null>(null);
  const [status, setStatus] = useState("");
  const [deleting, setDeleting] = useState<Row | null>(null);

  const load = useCallback(async (at: number) => {
    try {
      setPage(await adminRoomsFn({ data: { offset: at } }));
    } catch (error) {
      setStatus(failureOf(error));
    }
  }, []);
  useEffect(() => {
    void load(offset);
  }, [load, offset]);

  const act = async (what: () => Promise<{ ok: boolean; error?: string }>, done: string) => {
    setStatus("Working…");
    try {
      const answer = await what();
      setStatus(answer.ok ? done : (answer.error ?? "Refused."));
    } catch (error) {
      setStatus(failureOf(error));
    }
    await load(offset);
  };

  return (
    <div className="max-w-5xl">
      <h1 className="mb-3 text-xl font-semibold text-slate-900">Rooms</h1>
      <p role="status" className="mb-2 min-h-5 text-sm text-slate-700">
        {status}
      </p>
      {!page ? (
        <p className="text-sm text-slate-600">Loading…</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full border-collapse text-sm text-slate-800">
            <caption className="sr-only">Rooms</caption>
            <thead>
              <tr className="text-slate-600">
                <th scope="col" className={cellClass}>
                  Name
                </th>
                <th scope="col" className={cellClass}>
                  Kind
                </th>
                <th scope="col" className={cellClass}>
                  Members
                </th>
                <th scope="col" className={cellClass}>
                  Messages
                </th>
                <th scope="col" className={cellClass}>
                  State
                </th>
                <th scope="col" className={cellClass}>
                  Keep messages (days)
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
                    #{row.name}
                  </th>
                  <td className={cellClass}>{row.kind === "public" ? "Public" : "Private"}</td>
                  <td className={cellClass}>{row.members}</td>
                  <td className={cellClass}>{row.messages}</td>
                  <td className={cellClass}>{row.archivedAt === null ? "Open" : "Archived"}</td>
                  <td className={cellClass}>
                    <RoomRetention
                      roomId={row.id}
                      name={row.name}
                      days={row.retentionDays}
                      onDone={setStatus}
                    />
                  </td>
                  <td className={cellClass}>
                    <div className="flex flex-wrap gap-1">
                      <button
                        type="button"
                        className={buttonClass}
                        onClick={() =>
                          act(
                            () =>
                              adminArchiveRoomFn({
                                data: { roomId: row.id, archived: row.archivedAt === null },
                              }),
                            row.archivedAt === null
                              ? `#${row.name} is archived.`
                              : `#${row.name} is open again.`,
                          )
                        }
                      >
                        {row.archivedAt === null ? "Archive" : "Unarchive"}
                      </button>
                      <button
                        type="button"
                        className={buttonClass}
                        onClick={() => {
                          // An attachment (audited server-side): the browser saves it, the page stays.
                          window.location.assign(`/api/export/rooms/${encodeURIComponent(row.id)}`);
                          setStatus(`Export of #${row.name} started.`);
                        }}
                      >
                        Export
                      </button>
                      {!row.isDefault && (
                        <button
                          type="button"
                          className={buttonClass}
                          onClick={() => setDeleting(row)}
                        >
                          Delete
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager offset={offset} size={PAGE_SIZE} total={page.total} onMove={setOffset} />
        </div>
      )}
      {deleting && (
        <Modal title={`Delete #${deleting.name}?`} onClose={() => setDeleting(null)}>
          <p className="text-sm text-slate-700">
            This deletes the room and everything in it: {deleting.messages} messages, their files,
            reactions and pins. Its {deleting.members} members lose it at once. This cannot be
            undone.
          </p>
          <div className="mt-3 flex gap-2">
            <button
              type="button"
              className="rounded-md bg-red-700 px-3 py-1 text-sm font-medium text-white hover:bg-red-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-600"
              onClick={() => {
                const row = deleting;
                setDeleting(null);
                void act(
                  () => deleteRoomFn({ data: { roomId: row.id } }),
                  `#${row.name} is deleted.`,
                );
              }}
            >
              Delete room
            </button>
            <button
              type="button"
              data-autofocus
              className={buttonClass}
              onClick={() => setDeleting(null)}
            >
              Cancel
            </button>
          </div>
        </Modal>
      )}
    </div>
  );
}

import { useCallback, useEffect, useId, useState } from "react";
import type { CommandResponse } from "../../core/custom-commands";
import {
  adminCommandsFn,
  createCommandFn,
  deleteCommandFn,
} from "../../server/fns/custom-commands";
import { SigningSecret } from "../SigningSecret";
import {
  buttonClass,
  cellClass,
  failureOf,
  inputClass,
  primaryClass,
  shownTime,
} from "./AdminShell";

type Command = Awaited<ReturnType<typeof adminCommandsFn>>["commands"][number];

const ANSWERS: { value: CommandResponse; label: string }[] = [
  { value: "ephemeral", label: "Only the user who ran it" },
  { value: "room", label: "In the room" },
];

/**
 * /admin/commands (issue 15): the server's custom slash commands. The form
 * registers `/name` with its service's URL and where the answer goes; the
 * signing secret is shown once, for the service to verify
 * X-Parley-Signature. The table "Custom commands" lists them with "Delete".
 */
export function AdminCommandsPage() {
  const id = useId();
  const [commands, setCommands] = useState<Command[] | null>(null);
  const [status, setStatus] = useState("");
  const [error, setError] = useState("");
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [url, setUrl] = useState("");
  const [response, setResponse] = useState<CommandResponse>("ephemeral");
  // The newest command's secret, kept on screen until another is made (a
  // refused attempt does not take it away before it was copied).
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setCommands((await adminCommandsFn()).commands);
    } catch (failure) {
      setError(failureOf(failure));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  async function create(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError("");
    setStatus("");
    try {
      const answer = await createCommandFn({ data: { name, description, url, response } });
      if (!answer.ok) {
        setError(answer.error);
        return;
      }
      setSecret({ name: answer.command.name, value: answer.secret });
      setStatus(`Created /${answer.command.name}.`);
      setName("");
      setDescription("");
      setUrl("");
      await load();
    } catch (failure) {
      setError(failureOf(failure));
    } finally {
      setBusy(false);
    }
  }

  async function remove(command: Command) {
    setError("");
    setStatus("");
    try {
      const answer = await deleteCommandFn({ data: { id: command.id } });
      if (answer.ok) setStatus(`Deleted /${command.name}.`);
      else setError(answer.error);
    } catch (failure) {
      setError(failureOf(failure));
    }
    await load();
  }

  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold text-slate-900">Slash commands</h1>
      <p className="text-sm text-slate-700">
        A custom command POSTs what the user typed to its URL, signed like an outgoing webhook, and
        shows the answer.
      </p>
      <form
        onSubmit={(e) => void create(e)}
        aria-labelledby={`${id}-new`}
        className="flex flex-col gap-3 rounded-md border border-slate-200 p-3"
      >
        <h2 id={`${id}-new`} className="text-base font-semibold text-slate-900">
          New command
        </h2>
        <div className="flex flex-wrap gap-3">
          <label className="flex flex-col gap-1 text-sm text-slate-800">
            Command name
            <input
              className={inputClass}
              value={name}
              required
              maxLength={33}
              placeholder="deploy"
              aria-describedby={`${id}-name-help`}
              onChange={(e) => setName(e.target.value)}
            />
            <span id={`${id}-name-help`} className="text-xs text-slate-600">
              Typed as /name in a room.
            </span>
          </label>
          <label className="flex grow flex-col gap-1 text-sm text-slate-800">
            Description
            <input
              className={inputClass}
              value={description}
              required
              maxLength={120}
              onChange={(e) => setDescription(e.target.value)}
            />
          </label>
          <label className="flex grow flex-col gap-1 text-sm text-slate-800">
            Target URL
            <input
              type="url"
              className={inputClass}
              value={url}
              required
              placeholder="https://example.com/slash"
              onChange={(e) => setUrl(e.target.value)}
            />
          </label>
        </div>
        <fieldset className="flex flex-wrap gap-4 text-sm text-slate-800">
          <legend className="mb-1 font-medium">Answer shown</legend>
          {ANSWERS.map((answer) => (
            <label key={answer.value} className="flex items-center gap-1">
              <input
                type="radio"
                name={`${id}-response`}
                value={answer.value}
                checked={response === answer.value}
                onChange={() => setResponse(answer.value)}
              />
              {answer.label}
            </label>
          ))}
        </fieldset>
        <div>
          <button type="submit" className={primaryClass} disabled={busy}>
            Create command
          </button>
        </div>
      </form>
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      <p role="status" className="min-h-5 text-sm text-slate-700">
        {status}
      </p>
      {secret && (
        <SigningSecret
          value={secret.value}
          note={`For /${secret.name}, shown once: its service verifies X-Parley-Signature with it.`}
        />
      )}
      {commands === null && !error && <p className="text-sm text-slate-700">Loading…</p>}
      {commands?.length === 0 && <p className="text-sm text-slate-700">No custom commands yet.</p>}
      {commands && commands.length > 0 && (
        <div className="overflow-x-auto">
          <table className="w-full border-collapse text-sm text-slate-800">
            <caption className="sr-only">Custom commands</caption>
            <thead>
              <tr className="text-slate-600">
                {["Command", "Description", "Target URL", "Answer", "Created", "Actions"].map(
                  (heading) => (
                    <th key={heading} scope="col" className={cellClass}>
                      {heading === "Actions" ? <span className="sr-only">{heading}</span> : heading}
                    </th>
                  ),
                )}
              </tr>
            </thead>
            <tbody>
              {commands.map((command) => (
                <tr key={command.id}>
                  <td className={`${cellClass} font-mono`}>/{command.name}</td>
                  <td className={cellClass}>{command.description}</td>
                  <td className={`${cellClass} break-all`}>{command.url}</td>
                  <td className={cellClass}>
                    {ANSWERS.find((a) => a.value === command.response)?.label}
                  </td>
                  <td className={cellClass}>{shownTime(command.createdAt)}</td>
                  <td className={cellClass}>
                    <button
                      type="button"
                      className={buttonClass}
                      aria-label={`Delete /${command.name}`}
                      onClick={() => void remove(command)}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

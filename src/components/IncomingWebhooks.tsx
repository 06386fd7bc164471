import { useCallback, useEffect, useId, useRef, useState } from "react";
import { checkWebhookName } from "../core/incoming-webhook";
import type { RoomSummary } from "../protocol/frames";
import {
  createIncomingWebhookFn,
  listIncomingWebhooksFn,
  revokeIncomingWebhookFn,
} from "../server/fns/incoming-webhooks";

type Webhook = { id: string; name: string; createdAt: number; createdBy: string | null };

const button =
  "rounded-md px-3 py-1.5 text-sm ring-1 ring-slate-300 text-slate-800 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500 disabled:opacity-60";
const primary =
  "rounded-md bg-indigo-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 disabled:opacity-60";

/**
 * The room's incoming webhooks (issue 15), in the "Integrations" dialog:
 * "New incoming webhook" reveals "Webhook name" and "Create webhook"; the
 * new URL then shows once as "Webhook URL" with Copy (only its secret's
 * hash is kept); the room's webhooks are listed, each with "Revoke".
 */
export function IncomingWebhooks({ room }: { room: Pick<RoomSummary, "id" | "name"> }) {
  const [webhooks, setWebhooks] = useState<Webhook[] | null>(null);
  const [error, setError] = useState("");
  const [status, setStatus] = useState("");
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState("");
  const [nameError, setNameError] = useState("");
  const [url, setUrl] = useState("");
  const [busy, setBusy] = useState(false);
  const id = useId();
  const nameField = useRef<HTMLInputElement>(null);

  const load = useCallback(async () => {
    try {
      const answer = await listIncomingWebhooksFn({ data: { roomId: room.id } });
      if (answer.ok) setWebhooks(answer.webhooks);
      else setError(answer.error);
    } catch {
      setError("The webhooks could not be loaded. Try again.");
    }
  }, [room.id]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (creating) nameField.current?.focus();
  }, [creating]);

  async function create(event: React.FormEvent) {
    event.preventDefault();
    const checked = checkWebhookName(name);
    if (!checked.ok) {
      setNameError(checked.error);
      nameField.current?.focus();
      return;
    }
    setBusy(true);
    setNameError("");
    setStatus("Creating…");
    try {
      const answer = await createIncomingWebhookFn({ data: { roomId: room.id, name } });
      if (answer.ok) {
        setUrl(answer.url);
        setCreating(false);
        setName("");
        setStatus(`Webhook ${answer.webhook.name} created. Its URL is shown once: copy it now.`);
        await load();
      } else {
        setNameError(answer.error);
        setStatus("");
      }
    } catch {
      setNameError("Something went wrong. Try again.");
      setStatus("");
    } finally {
      setBusy(false);
    }
  }

  async function revoke(webhook: Webhook) {
    setBusy(true);
    setError("");
    try {
      const answer = await revokeIncomingWebhookFn({
        data: { roomId: room.id, id: webhook.id },
      });
      if (answer.ok) setStatus(`Webhook ${webhook.name} revoked.`);
      else setError(answer.error);
      await load();
    } catch {
      setError("Something went wrong. Try again.");
    } finally {
      setBusy(false);
    }
  }

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setStatus("Copied.");
    } catch {
      setStatus("Copying is not allowed here: select the URL and copy it.");
    }
  }

  return (
    <section aria-labelledby={`${id}-title`} className="flex flex-col gap-3">
      <h3 id={`${id}-title`} className="font-semibold">
        Incoming webhooks
      </h3>
      <p className="text-sm text-slate-700">
        Services post to #{room.name} by sending <code>{'{"text": "..."}'}</code> to a webhook's
        URL.
      </p>
      {!creating && (
        <div>
          <button
            type="button"
            className={button}
            onClick={() => {
              setCreating(true);
              setUrl("");
            }}
          >
            New incoming webhook
          </button>
        </div>
      )}
      {creating && (
        <form onSubmit={create} noValidate className="flex flex-col gap-2">
          <label htmlFor={`${id}-name`} className="text-sm font-medium text-slate-800">
            Webhook name
          </label>
          <input
            id={`${id}-name`}
            ref={nameField}
            value={name}
            onChange={(event) => setName(event.target.value)}
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? `${id}-name-error` : undefined}
            className="w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-500 aria-invalid:border-red-700"
          />
          {nameError && (
            <p id={`${id}-name-error`} className="text-sm text-red-700">
              {nameError}
            </p>
          )}
          <div className="flex gap-2">
            <button type="submit" disabled={busy} className={primary}>
              Create webhook
            </button>
            <button
              type="button"
              className={button}
              onClick={() => {
                setCreating(false);
                setNameError("");
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      )}
      {url && (
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-url`} className="text-sm font-medium text-slate-800">
            Webhook URL
          </label>
          <div className="flex gap-2">
            <input
              id={`${id}-url`}
              readOnly
              value={url}
              onFocus={(event) => event.currentTarget.select()}
              className="min-w-0 flex-1 rounded-md border border-slate-300 px-2 py-1 font-mono text-sm text-slate-900"
            />
            <button type="button" className={button} onClick={() => void copy()}>
              Copy
            </button>
          </div>
        </div>
      )}
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      {webhooks && webhooks.length === 0 && (
        <p className="text-sm text-slate-700">No incoming webhooks in #{room.name} yet.</p>
      )}
      {webhooks && webhooks.length > 0 && (
        <ul aria-label="Incoming webhooks" className="flex flex-col divide-y divide-slate-200">
          {webhooks.map((webhook) => (
            <li key={webhook.id} className="flex items-center justify-between gap-2 py-2">
              <span id={`${id}-hook-${webhook.id}`} className="text-sm text-slate-900">
                <span className="font-medium">{webhook.name}</span>
                <span className="text-slate-700">
                  {" "}
                  · made {new Date(webhook.createdAt).toLocaleDateString()}
                  {webhook.createdBy ? ` by ${webhook.createdBy}` : ""}
                </span>
              </span>
              <button
                type="button"
                disabled={busy}
                aria-describedby={`${id}-hook-${webhook.id}`}
                className={button}
                onClick={() => void revoke(webhook)}
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
      <p role="status" className="min-h-5 text-sm text-slate-700">
        {status}
      </p>
    </section>
  );
}

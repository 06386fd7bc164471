import { useCallback, useEffect, useId, useState } from "react";
import { WEBHOOK_EVENT_LABELS, WEBHOOK_EVENTS, type WebhookEvent } from "../core/outgoing-webhooks";
import type { RoomSummary } from "../protocol/frames";
import {
  createOutgoingWebhookFn,
  listOutgoingWebhooksFn,
  revokeOutgoingWebhookFn,
} from "../server/fns/outgoing-webhooks";
import { SigningSecret } from "./SigningSecret";
import { DeliveriesTable, type Delivery } from "./WebhookDeliveries";

type Listed = Extract<Awaited<ReturnType<typeof listOutgoingWebhooksFn>>, { ok: true }>;
type Hook = Listed["webhooks"][number];

const field = "rounded-md border border-slate-300 px-2 py-1 text-sm";
const button =
  "rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 focus-visible:outline-2 focus-visible:outline-indigo-500 disabled:opacity-60";
const quiet =
  "rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500";

/** The room's outgoing webhooks and deliveries (issue 15), in the Integrations dialog. */
export function OutgoingWebhooks({ room }: { room: Pick<RoomSummary, "id" | "name"> }) {
  return <OutgoingWebhookManager roomId={room.id} scopeName={`#${room.name}`} />;
}

/**
 * Outgoing webhooks of one room, or (roomId null, the admin console) the
 * server-wide ones: "New outgoing webhook" opens a form (name, target URL,
 * a checkbox per event); a created webhook's secret is shown once, for the
 * receiver to verify signatures with; each live webhook has "Revoke"; the
 * table "Deliveries" lists the newest deliveries.
 */
export function OutgoingWebhookManager({
  roomId,
  scopeName,
}: {
  roomId: string | null;
  scopeName: string;
}) {
  const id = useId();
  const [listed, setListed] = useState<Listed | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const [name, setName] = useState("");
  const [targetUrl, setTargetUrl] = useState("");
  const [events, setEvents] = useState<WebhookEvent[]>(["message_created"]);
  const [secret, setSecret] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const answer = await listOutgoingWebhooksFn({ data: { roomId } });
      if (answer.ok) setListed(answer);
      else setError(answer.error);
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : "The webhooks could not be loaded.");
    }
  }, [roomId]);
  useEffect(() => {
    void load();
  }, [load]);

  async function create(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await createOutgoingWebhookFn({ data: { roomId, name, targetUrl, events } });
      if (!answer.ok) {
        setError(answer.error);
        return;
      }
      setSecret(answer.secret);
      setFormOpen(false);
      setName("");
      setTargetUrl("");
      setEvents(["message_created"]);
      await load();
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : "The webhook could not be created.");
    } finally {
      setBusy(false);
    }
  }

  async function revoke(hook: Hook) {
    const answer = await revokeOutgoingWebhookFn({ data: { id: hook.id } });
    if (!answer.ok) setError(answer.error);
    await load();
  }

  const toggle = (which: WebhookEvent, on: boolean) =>
    setEvents((now) => (on ? [...now, which] : now.filter((e) => e !== which)));

  return (
    <section aria-labelledby={`${id}-title`} className="space-y-3">
      <h3 id={`${id}-title`} className="font-semibold">
        Outgoing webhooks
      </h3>
      {!formOpen && (
        <button type="button" className={button} onClick={() => setFormOpen(true)}>
          New outgoing webhook
        </button>
      )}
      {formOpen && (
        <form onSubmit={create} className="space-y-3" aria-label="New outgoing webhook">
          <div className="flex flex-wrap gap-3">
            <div className="flex flex-col gap-1">
              <label htmlFor={`${id}-name`} className="text-sm font-medium">
                Webhook name
              </label>
              <input
                id={`${id}-name`}
                className={field}
                value={name}
                maxLength={80}
                required
                onChange={(e) => setName(e.target.value)}
              />
            </div>
            <div className="flex flex-col gap-1">
              <label htmlFor={`${id}-url`} className="text-sm font-medium">
                Target URL
              </label>
              <input
                id={`${id}-url`}
                type="url"
                className={field}
                value={targetUrl}
                placeholder="https://example.com/hook"
                required
                onChange={(e) => setTargetUrl(e.target.value)}
              />
            </div>
          </div>
          <fieldset className="flex flex-wrap gap-4">
            <legend className="text-sm font-medium">Events</legend>
            {WEBHOOK_EVENTS.map((which) => (
              <label key={which} className="flex items-center gap-1 text-sm">
                <input
                  type="checkbox"
                  checked={events.includes(which)}
                  onChange={(e) => toggle(which, e.target.checked)}
                />
                {WEBHOOK_EVENT_LABELS[which]}
              </label>
            ))}
          </fieldset>
          <div className="flex gap-2">
            <button type="submit" className={button} disabled={busy}>
              Create webhook
            </button>
            <button type="button" className={quiet} onClick={() => setFormOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      {secret && (
        <SigningSecret
          value={secret}
          note="Shown once: the receiver verifies X-Parley-Signature with it."
        />
      )}
      {listed && listed.webhooks.length === 0 && (
        <p className="text-sm text-slate-700">None for {scopeName} yet.</p>
      )}
      {listed && listed.webhooks.length > 0 && (
        <ul aria-label="Outgoing webhooks" className="space-y-1 text-sm">
          {listed.webhooks.map((hook) => (
            <li key={hook.id} className="flex flex-wrap items-center gap-2">
              <span className="font-medium">{hook.name}</span>
              <span className="break-all text-slate-700">{hook.targetUrl}</span>
              <span className="text-slate-700">
                ({hook.events.map((e) => WEBHOOK_EVENT_LABELS[e]).join(", ")})
              </span>
              <button
                type="button"
                className={quiet}
                aria-label={`Revoke ${hook.name}`}
                onClick={() => void revoke(hook)}
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
      {listed && <DeliveriesTable deliveries={listed.deliveries as Delivery[]} />}
    </section>
  );
}

import { useCallback, useEffect, useState } from "react";
import { listAllDeliveriesFn } from "../../server/fns/outgoing-webhooks";
import { OutgoingWebhookManager } from "../OutgoingWebhooks";
import { DeliveriesTable, type Delivery } from "../WebhookDeliveries";

/**
 * The admin console's webhooks (issue 15): the server-wide outgoing
 * webhooks (every room's events but direct messages), and the delivery
 * log of every webhook, rooms' included.
 */
export function AdminWebhooksPage() {
  const [deliveries, setDeliveries] = useState<Delivery[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      const answer = await listAllDeliveriesFn();
      if (answer.ok) setDeliveries(answer.deliveries);
      else setError(answer.error);
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : "The deliveries could not be loaded.");
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <div className="space-y-8">
      <h2 className="text-lg font-semibold">Webhooks</h2>
      <OutgoingWebhookManager roomId={null} scopeName="the whole server" />
      <section aria-labelledby="all-deliveries" className="space-y-2">
        <h3 id="all-deliveries" className="font-semibold">
          Every delivery
        </h3>
        {error && (
          <p role="alert" className="text-sm text-red-700">
            {error}
          </p>
        )}
        {deliveries && <DeliveriesTable deliveries={deliveries} />}
      </section>
    </div>
  );
}

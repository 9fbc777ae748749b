// Turns bus events into webhook messages, in the transaction of the change (a bus publish hook):
// a message exists exactly when its change committed, whichever process or request made it.
import type { EntityManager } from "typeorm";
import type { BusEvent, EventBus } from "../../events/bus.js";
import { occurrenceOf, wireType } from "./webhook-events.js";
import { snapshotOf } from "./webhook-snapshots.js";

/** The payload, per Standard Webhooks: type, timestamp, data. */
export function webhookBody(type: string, data: Record<string, unknown>, at: Date = new Date()): string {
  return JSON.stringify({ type, timestamp: at.toISOString(), data });
}

export function recordWebhookMessages(bus: EventBus): (manager: EntityManager, event: BusEvent) => Promise<void> {
  return async (manager, event) => {
    const occurrence = occurrenceOf(event);
    if (!occurrence) return;
    // One statement for every event; the snapshot only when some endpoint of the firm wants it.
    const endpoints = (await manager.query(
      `SELECT w.id, a.name FROM administrations a JOIN webhooks w ON w.firm_id = a.firm_id AND w.enabled AND $2 = ANY (w.events) WHERE a.id = $1`,
      [occurrence.administrationId, occurrence.event],
    )) as Array<{ id: string; name: string }>;
    if (endpoints.length === 0) return;
    const body = webhookBody(wireType(occurrence.event), await snapshotOf(manager, occurrence, endpoints[0]!.name));
    await manager.query(`INSERT INTO webhook_messages (id, webhook_id, subject, event, body) SELECT gen_random_uuid(), w, $2, $3, $4 FROM unnest($1::uuid[]) AS w`, [
      endpoints.map((e) => e.id),
      `${occurrence.subject.kind}:${occurrence.subject.id}`,
      occurrence.event,
      body,
    ]);
    await bus.publish(manager, { topic: "webhooks.queued" });
  };
}

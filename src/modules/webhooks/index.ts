// The webhooks module: what it contributes (src/modules/module.ts).
import { fetchOne, type PortalDeskModule } from "../module.js";
import { Webhook, WebhookAttempt } from "./webhook.entity.js";
import { WEBHOOK_SCOPES } from "./webhook.policy.js";
import { WebhookResolver } from "./webhook.resolver.js";
import { WebhookType } from "./webhook.types.js";

export const webhooksModule: PortalDeskModule = {
  name: "webhooks",
  scopes: WEBHOOK_SCOPES,
  entities: [Webhook, WebhookAttempt],
  resolvers: [WebhookResolver],
  nodes: { Webhook: fetchOne(async (s, actor, id) => WebhookType.from(await s.webhooks.find(actor, id))) },
  // Delivery is not a pg-boss queue: webhook_messages is its own, ordered per subject
  // (webhook-deliverer.ts). pg-boss only prunes the history once a day.
  queues: [{ name: "webhook.prune" }],
  async jobs({ jobs, webhooks, webhookDeliverer }) {
    webhookDeliverer.start();
    await jobs.work<object>("webhook.prune", async () => {
      await webhooks.prune();
    });
    await jobs.schedule("webhook.prune", "41 3 * * *");
  },
};

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
  // Not a pg-boss queue: webhook_messages is its own queue, ordered per subject (webhook-deliverer.ts).
  async jobs({ webhookDeliverer }) {
    webhookDeliverer.start();
  },
};

// The notifications module: what it contributes (src/modules/module.ts).
import { fetchOne, type PortalDeskModule } from "../module.js";
import { Notification } from "./notification.entity.js";
import { NotificationResolver } from "./notification.resolver.js";
import { NotificationType } from "./notification.types.js";
import { OutgoingMail } from "./outgoing-mail.entity.js";
import { NOTIFICATION_SCOPES } from "./notification.policy.js";

export const notificationsModule: PortalDeskModule = {
  name: "notifications",
  scopes: NOTIFICATION_SCOPES,
  entities: [Notification, OutgoingMail],
  resolvers: [NotificationResolver],
  nodes: { Notification: fetchOne(async (s, actor, id) => NotificationType.from(await s.notifications.findOwn(actor, id))) },
  // Mail keeps trying longer: an SMTP server may be down a while (from 5 s, doubling: over an hour
  // in all); it is network-bound, so many go side by side.
  queues: [{ name: "mail.send", retryLimit: 10, batchSize: 20 }, { name: "mail.digest" }],
  async jobs({ jobs, outbox, config }) {
    await jobs.work<{ mailId: string }>("mail.send", (data) => outbox.deliver(data.mailId));
    await jobs.work<object>("mail.digest", async () => {
      await outbox.sendDigests();
    });
    await jobs.schedule("mail.digest", config.mail.digestCron, config.timeZone);
  },
};

// The reminders module: what it contributes (src/modules/module.ts).
import type { PortalDeskModule } from "../module.js";
import { DeskSummaryResolver, RemindClientResolver } from "./reminders.graphql.js";
import { REMINDER_SCOPES } from "./reminders.policy.js";

export const remindersModule: PortalDeskModule = {
  name: "reminders",
  scopes: REMINDER_SCOPES,
  resolvers: [DeskSummaryResolver, RemindClientResolver],
  queues: [{ name: "desk.remind" }],
  async jobs({ jobs, reminders, config }) {
    await jobs.work<object>("desk.remind", async () => {
      await reminders.remindAll();
    });
    await jobs.schedule("desk.remind", config.reminders.cron, config.timeZone);
  },
};

// The deadlines module: what it contributes (src/modules/module.ts).
import type { PortalDeskModule } from "../module.js";
import { AdministrationCalendarResolver, FilingDeadlineResolver, FilingsDueResolver } from "./deadline.graphql.js";

export const deadlinesModule: PortalDeskModule = {
  name: "deadlines",
  resolvers: [AdministrationCalendarResolver, FilingDeadlineResolver, FilingsDueResolver],
  queues: [{ name: "filing.remind_deadlines" }],
  async jobs({ jobs, deadlineReminders, config }) {
    await jobs.work<object>("filing.remind_deadlines", async () => {
      await deadlineReminders.remindDue();
    });
    await jobs.schedule("filing.remind_deadlines", config.filings.reminderCron, config.timeZone);
  },
};

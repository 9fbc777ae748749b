// The deadlines module: what it contributes (src/modules/module.ts).
import type { PortalDeskModule } from "../module.js";
import { AdministrationCalendarResolver, FilingDeadlineResolver, FilingsDueResolver } from "./deadline.graphql.js";
import { ApiScope, needs, type ScopeRules } from "../../core/api-scopes.js";

/** What API tokens need for this module's fields (core/api-scopes.ts; it has no policy file). */
const DEADLINE_SCOPES: ScopeRules = {
  "Query.filingsDue": needs(ApiScope.FILINGS_READ),
  "Query.filingDeadlines": needs(ApiScope.FILINGS_READ),
  "Administration.filingCalendar": needs(ApiScope.FILINGS_READ),
};

export const deadlinesModule: PortalDeskModule = {
  name: "deadlines",
  scopes: DEADLINE_SCOPES,
  resolvers: [AdministrationCalendarResolver, FilingDeadlineResolver, FilingsDueResolver],
  queues: [{ name: "filing.remind_deadlines" }],
  async jobs({ jobs, deadlineReminders, config }) {
    await jobs.work<object>("filing.remind_deadlines", async () => {
      await deadlineReminders.remindDue();
    });
    await jobs.schedule("filing.remind_deadlines", config.filings.reminderCron, config.timeZone);
  },
};

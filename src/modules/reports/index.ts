// The reports module: what it contributes (src/modules/module.ts).
import { fetchThrough, type PortalDeskModule } from "../module.js";
import { visibleReportById } from "./report.loaders.js";
import { Report, ReportVersion } from "./report.entity.js";
import { AdministrationReportsResolver, ReportResolver } from "./report.resolver.js";
import { reportLinks } from "./report-links.js";
import { ReportType } from "./report.types.js";
import { REPORT_SCOPES } from "./report.policy.js";

export const reportsModule: PortalDeskModule = {
  name: "reports",
  scopes: REPORT_SCOPES,
  blobColumns: ["report_versions.sha256"],
  entities: [Report, ReportVersion],
  resolvers: [ReportResolver, AdministrationReportsResolver],
  nodes: { Report: fetchThrough(visibleReportById, (r) => ReportType.from(r)) },
  links: reportLinks,
  queues: [{ name: "report.announce", batchSize: 10 }],
  async jobs({ jobs, reports }) {
    await jobs.work<{ reportId?: string }>("report.announce", async (data) => {
      // The scheduled run (no report) announces any report whose moment passed without its job.
      if (data.reportId) await reports.announce(data.reportId);
      else await reports.announceDue();
    });
    await jobs.schedule("report.announce", "* * * * *");
  },
};

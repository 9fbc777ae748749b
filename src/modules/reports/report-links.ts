// What report links serve: the published version for a client ("r", only while the report is
// published), any version for the firm ("R", withdrawn or not).
import type { LinkClaims, LinkKind, LinkResolver } from "../files/download-links.js";
import { Report, ReportVersion } from "./report.entity.js";
import { isPublished } from "./report.policy.js";

async function reportFile(services: Parameters<LinkResolver>[0], claims: LinkClaims, forClient: boolean) {
  const report = await services.dataSource.getRepository(Report).findOneBy({ id: claims.subjectId });
  if (!report || (forClient && !isPublished(report))) return null;
  const version = await services.dataSource
    .getRepository(ReportVersion)
    .findOneBy({ reportId: report.id, ...(forClient ? { version: report.version } : {}), sha256: claims.sha256 });
  return version ? { key: version.sha256, size: version.byteSize, type: "application/pdf", filename: version.filename } : null;
}

export const reportLinks: Partial<Record<LinkKind, LinkResolver>> = {
  r: (services, claims) => reportFile(services, claims, true),
  R: (services, claims) => reportFile(services, claims, false),
};

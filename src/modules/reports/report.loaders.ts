// Batched loads for report fields: files, the viewer's read receipt, everyone's receipts.
import DataLoader from "dataloader";
import { In } from "typeorm";
import { groupByKey, type LoaderFactory, visibleById } from "../../graphql/loaders.js";
import { Report, ReportVersion } from "./report.entity.js";
import { scopeVisibleReports } from "./report.policy.js";

/** Reports by id, as the viewer may see them (null: not visible). */
export const visibleReportById = visibleById(Report, scopeVisibleReports);

export const versionsByReportId: LoaderFactory<string, ReportVersion[]> = ({ dataSource }) =>
  new DataLoader(async (ids) =>
    groupByKey(ids, await dataSource.getRepository(ReportVersion).find({ where: { reportId: In([...ids]) }, order: { version: "DESC" } }), (v) => v.reportId),
  );

export interface ReadRow {
  report_id: string;
  user_id: string;
  version: number;
  read_at: Date;
}

/** Every receipt of each report, oldest first (callers decide who may see which). */
export const readsByReportId: LoaderFactory<string, ReadRow[]> = ({ dataSource }) =>
  new DataLoader(async (ids) =>
    groupByKey(
      ids,
      (await dataSource.query("SELECT report_id, user_id, version, read_at FROM report_reads WHERE report_id = ANY($1) ORDER BY read_at", [[...ids]])) as ReadRow[],
      (r) => r.report_id,
    ),
  );

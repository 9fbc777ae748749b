// Queries about the other filings of the same periods, each one statement for a whole page of filings.
import type { EntityManager } from "typeorm";
import { Filing, FilingKind, FilingStatus } from "./filing.entity.js";

const periodKey = (administrationId: string, year: number, month: number | null, quarter: number | null) => `${administrationId}|${year}|${month ?? 0}|${quarter ?? 0}`;

/** Parameters matching the filings' periods through unnest, for `(administration_id, period_year, month, quarter) IN (…)`. */
function periodsOf(filings: Filing[]) {
  return {
    adms: filings.map((f) => f.administrationId),
    years: filings.map((f) => f.periodYear),
    months: filings.map((f) => f.periodMonth ?? 0),
    quarters: filings.map((f) => f.periodQuarter ?? 0),
  };
}
const IN_PERIODS =
  "(f.administration_id, f.period_year, coalesce(f.period_month, 0), coalesce(f.period_quarter, 0)) IN (SELECT * FROM unnest(CAST(:adms AS uuid[]), CAST(:years AS int[]), CAST(:months AS int[]), CAST(:quarters AS int[])))";

/** The latest filing (highest correction) of each kind in each of the filings' periods. */
export async function latestOfTheirPeriods(manager: EntityManager, filings: Filing[]): Promise<Filing[]> {
  if (filings.length === 0) return [];
  return manager
    .getRepository(Filing)
    .createQueryBuilder("f")
    .distinctOn(["f.administration_id", "f.kind", "f.period_year", "f.period_month", "f.period_quarter"])
    .where(IN_PERIODS, periodsOf(filings))
    .orderBy("f.administration_id")
    .addOrderBy("f.kind")
    .addOrderBy("f.period_year")
    .addOrderBy("f.period_month")
    .addOrderBy("f.period_quarter")
    .addOrderBy("f.correction_number", "DESC")
    .getMany();
}

/** The counterpart of a filing among `latest`: the ICP declaration of a VAT return's period, and back. */
export function counterpartOf(filing: Filing, latest: Filing[]): Filing | null {
  const kind = filing.kind === FilingKind.VAT_RETURN ? FilingKind.ICP_DECLARATION : FilingKind.VAT_RETURN;
  const key = periodKey(filing.administrationId, filing.periodYear, filing.periodMonth, filing.periodQuarter);
  return latest.find((other) => other.kind === kind && periodKey(other.administrationId, other.periodYear, other.periodMonth, other.periodQuarter) === key) ?? null;
}

/** The VAT returns among `filings` that correct an accepted return of their period, and so go as a suppletie. */
export async function suppletieIds(manager: EntityManager, filings: Filing[]): Promise<Set<string>> {
  const corrections = filings.filter((f) => f.kind === FilingKind.VAT_RETURN && f.correctionNumber > 0);
  if (corrections.length === 0) return new Set();
  const rows = (await manager
    .getRepository(Filing)
    .createQueryBuilder("f")
    .select(["f.administration_id AS adm", "f.period_year AS year", "f.period_month AS month", "f.period_quarter AS quarter", "min(f.correction_number) AS first"])
    .where(IN_PERIODS, periodsOf(corrections))
    .andWhere("f.kind = :kind AND f.status = :accepted", { kind: FilingKind.VAT_RETURN, accepted: FilingStatus.ACCEPTED })
    .groupBy("f.administration_id, f.period_year, f.period_month, f.period_quarter")
    .getRawMany()) as Array<{ adm: string; year: number; month: number | null; quarter: number | null; first: number }>;
  const firstAccepted = new Map(rows.map((r) => [periodKey(r.adm, Number(r.year), r.month, r.quarter), Number(r.first)]));
  return new Set(
    corrections
      .filter((f) => {
        const first = firstAccepted.get(periodKey(f.administrationId, f.periodYear, f.periodMonth, f.periodQuarter));
        return first !== undefined && first < f.correctionNumber;
      })
      .map((f) => f.id),
  );
}

// The XBRL instance of a filing (Belastingdienst NT taxonomy), as submitted and as approved.
import type { Administration } from "../administrations/administration.entity.js";
import { type Filing, FilingKind } from "./filing.entity.js";
import { periodBounds, periodOf } from "./filing-period.js";
import { icpDeclarationXbrl, vatReturnXbrl, XbrlInputError } from "./submission/xbrl.js";
import { XmlTextError } from "./submission/xml-escape.js";
import { computeTotals, ENTERED_TOTALS, TURNOVER_AND_VAT_BOXES, TURNOVER_BOXES } from "./vat-return.js";

export interface XbrlSoftware {
  name: string;
  version: string;
}

/** The XBRL instance of a filing, for the taxpayer of its administration. */
export function filingXbrl(filing: Filing, administration: Administration, software: XbrlSoftware): string {
  const bounds = periodBounds(periodOf(filing));
  const context = {
    taxpayerVatNumber: administration.vatNumber!,
    taxpayerName: administration.name,
    periodStart: bounds.start,
    periodEnd: bounds.end,
    softwarePackageName: software.name,
    softwarePackageVersion: software.version,
    contactType: "INT" as const,
    // Unique per filing (a correction of the same period gets its own), within the 20 characters allowed.
    messageReference: `PD${filing.id.replace(/-/g, "").slice(0, 18).toUpperCase()}`,
    createdAt: new Date(),
  };
  if (filing.content.kind === FilingKind.ICP_DECLARATION) return icpDeclarationXbrl(context, filing.content.lines);
  const { entries } = filing.content;
  const boxes: Record<string, number> = {};
  for (const box of TURNOVER_AND_VAT_BOXES) {
    boxes[`${box}_turnover`] = entries.pairs[box].turnover;
    boxes[`${box}_vat`] = entries.pairs[box].vat;
  }
  for (const box of TURNOVER_BOXES) boxes[`${box}_turnover`] = entries.turnover[box];
  for (const box of ENTERED_TOTALS) boxes[box] = entries.totals[box];
  Object.assign(boxes, computeTotals(entries));
  return vatReturnXbrl(context, { boxes });
}

/**
 * The XBRL instance a client decides on, or null when the administration cannot file yet (no VAT
 * number) or the content is not expressible: the decision still holds, on the content hash alone.
 */
export function approvedXbrl(filing: Filing, administration: Administration, software: XbrlSoftware): string | null {
  if (!administration.vatNumber) return null;
  try {
    return filingXbrl(filing, administration, software);
  } catch (error) {
    if (error instanceof XbrlInputError || error instanceof XmlTextError) return null;
    throw error;
  }
}

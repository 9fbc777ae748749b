// The XBRL instance of a filing (Belastingdienst NT taxonomy), as submitted and as approved: the
// release in use on the day it is written, the omzetbelastingnummer as the taxpayer, and a
// correction of an accepted return as a suppletie.
import type { EntityManager } from "typeorm";
import type { Administration } from "../administrations/administration.entity.js";
import { type Filing, FilingKind } from "./filing.entity.js";
import { suppletieIds } from "./filing-periods.js";
import { periodBounds, periodOf } from "./filing-period.js";
import type { MessageKind } from "./submission/gateway.js";
import { NoTaxonomyError, type Taxonomy, taxonomyFor } from "./submission/nt-releases.js";
import { icpDeclarationXbrl, vatReturnXbrl, XbrlInputError } from "./submission/xbrl.js";
import { XmlTextError } from "./submission/xml-escape.js";
import { computeTotals, ENTERED_TOTALS, TURNOVER_AND_VAT_BOXES, TURNOVER_BOXES } from "./vat-return.js";

export interface XbrlSoftware {
  name: string;
  version: string;
}

export interface FilingMessage {
  xbrl: string;
  kind: MessageKind;
  taxonomy: Taxonomy;
}

/** The number the Belastingdienst knows the taxpayer by: the omzetbelastingnummer, else the btw-id without NL. */
export function taxpayerNumberOf(administration: Administration): string | null {
  return administration.omzetbelastingnummer ?? administration.vatNumber?.replace(/^NL/, "") ?? null;
}

/** Whether an earlier filing of the same period was accepted: a new one then corrects it (a suppletie). */
export async function correctsAcceptedReturn(manager: EntityManager, filing: Filing): Promise<boolean> {
  return (await suppletieIds(manager, [filing])).has(filing.id);
}

/**
 * The message of a filing written at `sentAt`. Throws NoTaxonomyError when no release covers it,
 * XbrlInputError/XmlTextError when its content cannot be expressed.
 */
export function filingMessage(filing: Filing, administration: Administration, software: XbrlSoftware, options: { sentAt: Date; suppletie: boolean }): FilingMessage {
  const kind: MessageKind = filing.kind === FilingKind.ICP_DECLARATION ? "ICP_DECLARATION" : options.suppletie ? "VAT_CORRECTION" : "VAT_RETURN";
  const taxonomy = taxonomyFor(kind, filing.periodYear, options.sentAt);
  const bounds = periodBounds(periodOf(filing));
  const context = {
    taxonomy,
    taxpayerVatNumber: administration.vatNumber!,
    omzetbelastingnummer: administration.omzetbelastingnummer ?? undefined,
    taxpayerName: administration.name,
    periodStart: bounds.start,
    periodEnd: bounds.end,
    softwarePackageName: software.name,
    softwarePackageVersion: software.version,
    contactType: "INT" as const,
    // Unique per filing (a correction of the same period gets its own), within the 20 characters allowed.
    messageReference: `PD${filing.id.replace(/-/g, "").slice(0, 18).toUpperCase()}`,
    createdAt: options.sentAt,
  };
  if (filing.content.kind === FilingKind.ICP_DECLARATION) return { xbrl: icpDeclarationXbrl(context, filing.content.lines), kind, taxonomy };
  const { entries } = filing.content;
  const boxes: Record<string, number> = {};
  for (const box of TURNOVER_AND_VAT_BOXES) {
    boxes[`${box}_turnover`] = entries.pairs[box].turnover;
    boxes[`${box}_vat`] = entries.pairs[box].vat;
  }
  for (const box of TURNOVER_BOXES) boxes[`${box}_turnover`] = entries.turnover[box];
  for (const box of ENTERED_TOTALS) boxes[box] = entries.totals[box];
  Object.assign(boxes, computeTotals(entries));
  return { xbrl: vatReturnXbrl(context, { boxes }, { correction: kind === "VAT_CORRECTION" }), kind, taxonomy };
}

/** Whether an error says the filing cannot be written as a message (rather than a fault of ours). */
export function isUnfileable(error: unknown): error is Error {
  return error instanceof XbrlInputError || error instanceof XmlTextError || error instanceof NoTaxonomyError;
}

/**
 * The XBRL instance a client decides on, or null when the administration cannot file yet (no VAT
 * number), no release covers it, or the content is not expressible: the decision still holds, on
 * the content hash alone.
 */
export function approvedXbrl(filing: Filing, administration: Administration, software: XbrlSoftware, suppletie: boolean): string | null {
  if (!administration.vatNumber) return null;
  try {
    return filingMessage(filing, administration, software, { sentAt: new Date(), suppletie }).xbrl;
  } catch (error) {
    if (isUnfileable(error)) return null;
    throw error;
  }
}

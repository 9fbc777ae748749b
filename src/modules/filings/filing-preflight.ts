// Preflight: the checks a filing must pass before the client is asked to approve it, and again
// before it is submitted, so that what the client approves is what the Belastingdienst accepts.
// Pure: the caller gathers the facts (administration, the period's counterpart, suppletie or not).
import type { Localized } from "../../core/language.js";
import { validEuVatNumber } from "../../core/tax-numbers.js";
import type { Administration } from "../administrations/administration.entity.js";
import { type Filing, FilingKind } from "./filing.entity.js";
import { filingMessage, taxpayerNumberOf, type XbrlSoftware } from "./filing-xbrl.js";
import { icpTotal } from "./icp-declaration.js";
import { NoTaxonomyError } from "./submission/nt-releases.js";
import { validationProblems } from "./submission/simulated-validation.js";
import { XbrlInputError } from "./submission/xbrl.js";
import { XmlTextError } from "./submission/xml-escape.js";

export type PreflightCode = "IDENTIFIER_MISSING" | "CONTENT" | "ICP_MISMATCH" | "ICP_NUMBER" | "XBRL_STRUCTURE";

export interface PreflightProblem {
  code: PreflightCode;
  field: string[];
  message: Localized;
}

export interface PreflightFacts {
  administration: Administration;
  /** The latest other filing of the same period (the ICP declaration of a VAT return, and back), if any. */
  counterpart: Filing | null;
  /** Whether it would go as a suppletie (an earlier return of the period was accepted). */
  suppletie: boolean;
  /** Whether the viewer may see the counterpart (a client never sees a draft, nor its figures in a message). */
  counterpartVisible: boolean;
}

export function preflight(filing: Filing, facts: PreflightFacts, software: XbrlSoftware, now: Date = new Date()): PreflightProblem[] {
  const problems: PreflightProblem[] = [];
  const { administration, counterpart } = facts;
  if (!administration.vatNumber) {
    problems.push({
      code: "IDENTIFIER_MISSING",
      field: ["administration", "vatNumber"],
      message: {
        en: `${administration.name} has no VAT number: set it on the administration first`,
        nl: `${administration.name} heeft geen btw-id: vul dat eerst in bij de administratie`,
      },
    });
  }
  if (filing.content.kind === FilingKind.VAT_RETURN) {
    const box3b = filing.content.entries.turnover["3b"];
    const declared = counterpart?.content.kind === FilingKind.ICP_DECLARATION ? icpTotal(counterpart.content.lines) : 0;
    if (box3b !== declared && !filing.content.icpDifferenceReason) {
      const icp: Localized = !counterpart
        ? { en: "the ICP declaration of this period (there is none)", nl: "de ICP-opgaaf van dit tijdvak (er is er geen)" }
        : facts.counterpartVisible
          ? { en: `the ICP declaration of this period (€${declared})`, nl: `de ICP-opgaaf van dit tijdvak (€${declared})` }
          : { en: "the ICP declaration the firm is preparing for this period", nl: "de ICP-opgaaf die het kantoor voor dit tijdvak voorbereidt" };
      problems.push({
        code: "ICP_MISMATCH",
        field: ["boxes", "box3b"],
        message: {
          en: `Box 3b (€${box3b}) differs from ${icp.en}: correct one of them, or record why the difference is right`,
          nl: `Rubriek 3b (€${box3b}) wijkt af van ${icp.nl}: corrigeer een van beide, of leg vast waarom het verschil klopt`,
        },
      });
    }
  } else {
    filing.content.lines.forEach((line, index) => {
      if (!validEuVatNumber(line.vatNumber)) {
        problems.push({
          code: "ICP_NUMBER",
          field: ["lines", String(index), "vatNumber"],
          message: {
            en: `Line ${index + 1}: ${line.vatNumber} is not a valid ${line.countryCode} VAT number`,
            nl: `Regel ${index + 1}: ${line.vatNumber} is geen geldig btw-nummer voor ${line.countryCode}`,
          },
        });
      }
    });
  }
  if (!administration.vatNumber) return problems;
  let message;
  try {
    message = filingMessage(filing, administration, software, { sentAt: now, suppletie: facts.suppletie });
  } catch (error) {
    // No release covers the period yet: the message cannot be checked now, and submitting refuses it with
    // this reason. Approval may still be asked: it holds on the content (see approvedXbrl).
    if (error instanceof NoTaxonomyError) return problems;
    // The XBRL writer (submission/) words its reasons in English only.
    if (error instanceof XbrlInputError || error instanceof XmlTextError) return [...problems, { code: "CONTENT", field: [], message: { en: error.message, nl: error.message } }];
    throw error;
  }
  // The message checked against the release's structure: concepts, contexts, units and the identifier.
  // Its problems are worded in Dutch only, as the Belastingdienst's validation words them.
  for (const problem of validationProblems(message.kind, taxpayerNumberOf(administration)!, message.xbrl)) {
    problems.push({ code: "XBRL_STRUCTURE", field: [], message: { en: problem, nl: problem } });
  }
  return problems;
}

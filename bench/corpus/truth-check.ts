// An independent check of a corpus document's truth: every value must be findable in the text
// poppler extracts from the born-digital PDF, after undoing the printed formats, and the amounts
// must add up. It does not trust the drawing code's own record of what it printed.
import { execFile } from "node:child_process";
import { access } from "node:fs/promises";
import { promisify } from "node:util";
import { amountsIn, datesIn } from "./formats.js";
import { isValidBetalingskenmerk, isValidIban, isValidVatNumber } from "./identifiers.js";
import type { FieldName, Truth } from "./model.js";

const run = promisify(execFile);

export interface TruthCheck {
  id: string;
  ok: boolean;
  /** Fields whose truth value was not found in the PDF's text. */
  missing: FieldName[];
  /** Other failures: sums that do not add up, identifiers failing their checks, a missing file. */
  problems: string[];
}

const AMOUNT_FIELDS: FieldName[] = ["netTotal", "vat21", "vat9", "taxable0", "vatTotal", "grossTotal"];
const DATE_FIELDS: FieldName[] = ["issueDate", "dueDate"];
const ID_FIELDS: FieldName[] = ["supplierVatNumber", "supplierKvkNumber", "supplierIban", "paymentReference"];

function foundIn(text: string): (field: FieldName, value: string) => boolean {
  const amounts = amountsIn(text);
  const dates = datesIn(text);
  const noSpace = text.replace(/\s+/g, "");
  // Identifiers are printed grouped ("NL91 ABNA ...") or dotted ("NL8591.23.456.B.01").
  const compactId = noSpace.replace(/\./g, "").toUpperCase();
  return (field, value) => {
    if (AMOUNT_FIELDS.includes(field)) return amounts.has(value);
    if (DATE_FIELDS.includes(field)) return dates.has(value);
    if (ID_FIELDS.includes(field)) return compactId.includes(value);
    if (field === "currency") return value === "EUR" && /EUR|€|euro/i.test(text);
    return noSpace.includes(value.replace(/\s+/g, ""));
  };
}

/** The truth fields whose values `text` does not contain in any printed form (also usable to score OCR output). */
export function missingFromText(text: string, truth: Truth): FieldName[] {
  const found = foundIn(text);
  return (Object.entries(truth) as Array<[FieldName, string]>).filter(([field, value]) => !found(field, value)).map(([field]) => field);
}

const cents = (value: string | undefined) => (value === undefined ? undefined : Math.round(Number(value) * 100));

/** Sums that add up and identifiers that pass their own checks. */
function consistency(truth: Truth): string[] {
  const [net, vat, gross] = [cents(truth.netTotal), cents(truth.vatTotal), cents(truth.grossTotal)];
  const problems: string[] = [];
  if (net !== undefined && vat !== undefined && gross !== undefined && net + vat !== gross)
    problems.push(`netTotal ${truth.netTotal} + vatTotal ${truth.vatTotal} != grossTotal ${truth.grossTotal}`);
  const parts = [cents(truth.vat21) ?? 0, cents(truth.vat9) ?? 0];
  if (vat !== undefined && (truth.vat21 || truth.vat9) && parts[0] + parts[1] !== vat) problems.push(`vat21 + vat9 != vatTotal ${truth.vatTotal}`);
  if (truth.supplierIban && !isValidIban(truth.supplierIban)) problems.push(`invalid IBAN ${truth.supplierIban}`);
  if (truth.supplierVatNumber && !isValidVatNumber(truth.supplierVatNumber)) problems.push(`btw-nummer fails the 11-test: ${truth.supplierVatNumber}`);
  if (truth.supplierKvkNumber && !/^\d{8}$/.test(truth.supplierKvkNumber)) problems.push(`KvK not 8 digits: ${truth.supplierKvkNumber}`);
  if (truth.paymentReference && !isValidBetalingskenmerk(truth.paymentReference)) problems.push(`bad betalingskenmerk check digit: ${truth.paymentReference}`);
  return problems;
}

/** Checks a corpus document (a degraded one against the born-digital PDF it was made from). */
export async function checkCorpusTruth(doc: { id: string; file: string; variant: string; source?: string; truth: Truth }): Promise<TruthCheck> {
  const problems = consistency(doc.truth);
  const pdf = doc.variant === "born-digital" ? doc.file : doc.source;
  if (!pdf) return { id: doc.id, ok: false, missing: [], problems: [...problems, "no born-digital source to check against"] };
  try {
    await access(doc.file);
  } catch {
    problems.push(`file missing: ${doc.file}`);
  }
  const { stdout } = await run("pdftotext", ["-enc", "UTF-8", pdf, "-"], { maxBuffer: 64 * 1024 * 1024 });
  const missing = missingFromText(stdout, doc.truth);
  return { id: doc.id, ok: missing.length === 0 && problems.length === 0, missing, problems };
}

// Where a scan holding several documents should be cut, from what its pages say: a blank page or a
// separator sheet between them (dropped; a sheet says so in words or in a QR or barcode), page numbering starting again ("pagina 1 van 3", "page 1
// of 2"), or a new invoice number or a new supplier (by btw-id or IBAN) on a page. Offered in the
// page editor as proposed cuts that a person confirms. Pure.
import type { PageSource } from "../files/page-words.js";
import { findIbans, findVatNumbers } from "../invoices/dutch-formats.js";
import { invoiceNumberIn } from "../invoices/text-invoice.js";

export enum SplitReason {
  BLANK_PAGE = "BLANK_PAGE",
  SEPARATOR_SHEET = "SEPARATOR_SHEET",
  PAGE_NUMBERING = "PAGE_NUMBERING",
  NEW_INVOICE_NUMBER = "NEW_INVOICE_NUMBER",
  NEW_SUPPLIER = "NEW_SUPPLIER",
}

export interface SplitSuggestion {
  /** A new document starts at this page. */
  beforePage: number;
  reason: SplitReason;
  /** Pages between the two documents that belong to neither (blank pages, separator sheets). */
  dropPages: number[];
}

export interface PageSummary {
  pageNumber: number;
  source: PageSource;
  text: string;
  /** Barcodes found on the page (scans with little text). */
  barcodes?: string[];
}

/** A page with at most this many letters and digits is blank (a scanner's specks). */
const BLANK_CHARS = 8;
const SEPARATOR = /\b(scheidingsblad|scheidingsvel|separator sheet|separator page|document separator|patch ?t)\b/i;
/** The codes separator sheets carry: the patch-T convention of scanners (and Paperless-ngx), or ours. */
const SEPARATOR_CODE = /^(patch ?t|pdsep|separator|scheidingsvel|portaldesk:split)$/i;
const NUMBERING = /\b(?:pagina|blad|page|p\.)\s*(\d{1,3})\s*(?:van|of|\/)\s*(\d{1,3})\b/i;

interface PageFacts {
  page: number;
  blank: boolean;
  separator: boolean;
  numbering: { page: number; of: number } | null;
  invoiceNumber: string | null;
  suppliers: Set<string>;
}

function factsOf(summary: PageSummary): PageFacts {
  const letters = summary.text.replace(/[^\p{L}\p{N}]/gu, "").length;
  const numbering = NUMBERING.exec(summary.text);
  return {
    page: summary.pageNumber,
    blank: summary.source === "BLANK" || letters <= BLANK_CHARS,
    // A separator sheet says so and says little else.
    separator: (SEPARATOR.test(summary.text) && letters < 200) || (summary.barcodes ?? []).some((code) => SEPARATOR_CODE.test(code.trim())),
    numbering: numbering ? { page: Number(numbering[1]), of: Number(numbering[2]) } : null,
    invoiceNumber: invoiceNumberIn(summary.text),
    suppliers: new Set([...findVatNumbers(summary.text), ...findIbans(summary.text)].map((f) => f.value)),
  };
}

/** Why `page` starts a new document after `previous` (the last page with content), or null. */
function reasonBetween(previous: PageFacts, page: PageFacts): SplitReason | null {
  if (page.numbering && page.numbering.page === 1) return SplitReason.PAGE_NUMBERING;
  if (previous.numbering && previous.numbering.page === previous.numbering.of) return SplitReason.PAGE_NUMBERING;
  // A page numbered as a continuation belongs to the document before it.
  if (page.numbering && page.numbering.page > 1) return null;
  if (previous.invoiceNumber && page.invoiceNumber && previous.invoiceNumber !== page.invoiceNumber) return SplitReason.NEW_INVOICE_NUMBER;
  if (previous.suppliers.size && page.suppliers.size && ![...page.suppliers].some((s) => previous.suppliers.has(s))) return SplitReason.NEW_SUPPLIER;
  return null;
}

/** The proposed cuts for a document's pages, in page order (none for a single document). */
export function suggestSplits(pages: PageSummary[]): SplitSuggestion[] {
  const facts = [...pages].sort((a, b) => a.pageNumber - b.pageNumber).map(factsOf);
  const cuts: SplitSuggestion[] = [];
  let previous: PageFacts | null = null;
  let gap: PageFacts[] = [];
  for (const page of facts) {
    if (page.blank || page.separator) {
      gap.push(page);
      continue;
    }
    if (previous) {
      // A blank page inside one document (a duplex scan's empty back) is dropped without a cut.
      const continues = (page.numbering !== null && page.numbering.page > 1) || (previous.invoiceNumber !== null && previous.invoiceNumber === page.invoiceNumber);
      const between = gap.some((g) => g.separator) ? SplitReason.SEPARATOR_SHEET : gap.length && !continues ? SplitReason.BLANK_PAGE : null;
      const reason = between ?? reasonBetween(previous, page);
      if (reason) cuts.push({ beforePage: page.page, reason, dropPages: gap.map((g) => g.page) });
    }
    previous = page;
    gap = [];
  }
  return cuts;
}

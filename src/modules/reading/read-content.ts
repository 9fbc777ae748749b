// Reads the data out of a file's bytes by its format: bank statements from MT940 and CAMT.053,
// invoices from UBL and CII XML and from PDFs that carry one (Factur-X / ZUGFeRD). Pure (no
// database), so tests and benches call it directly on generated fixtures.
import { DocumentFormat } from "../files/file-format.js";
import { parseCamt053 } from "../bank-statements/camt053.js";
import { parseMt940 } from "../bank-statements/mt940.js";
import { type ParsedStatement, StatementFormatError } from "../bank-statements/statement-model.js";
import { isCii, parseCii } from "../invoices/cii.js";
import { embeddedInvoiceXml } from "../invoices/factur-x.js";
import { checkInvoice, type InvoiceWarning } from "../invoices/invoice-checks.js";
import { InvoiceFormatError, type InvoiceSource, type ParsedInvoice } from "../invoices/invoice-model.js";
import type { InvoiceField } from "../invoices/text-invoice.js";
import { parseInvoiceXml, parseUbl } from "../invoices/ubl.js";

export type ReadOutcome =
  | { kind: "BANK_STATEMENT"; statements: ParsedStatement[] }
  /**
   * `rendition`: the PDF that shows the invoice (the file itself for Factur-X, an embedded one for
   * UBL). Read from a page's words: `source` TEXT or OCR, with its `fields`.
   */
  | { kind: "INVOICE"; invoice: ParsedInvoice; warnings: InvoiceWarning[]; rendition: Buffer | null; source?: InvoiceSource; fields?: InvoiceField[] }
  | { kind: null }
  /** Could not be read: `problem` is shown to the user; the file stays a plain document. */
  | { kind: "FAILED"; problem: string };

/** The formats whose data is read (a PDF may carry an e-invoice). */
export function isReadable(format: DocumentFormat): boolean {
  return [DocumentFormat.MT940, DocumentFormat.CAMT053, DocumentFormat.UBL, DocumentFormat.CII, DocumentFormat.PDF].includes(format);
}

/** UTF-8 where the bytes are valid UTF-8, else ISO 8859-1 (what older bank exports use). */
export function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return bytes.toString("latin1");
  }
}

const isPdf = (bytes: Buffer) => bytes.subarray(0, 5).toString("latin1") === "%PDF-";

function invoiceFromXml(text: string): ParsedInvoice {
  const root = parseInvoiceXml(text);
  return isCii(root) ? parseCii(root) : parseUbl(root);
}

function invoiceOutcome(invoice: ParsedInvoice, rendition: Buffer | null): ReadOutcome {
  return { kind: "INVOICE", invoice, warnings: checkInvoice(invoice), rendition };
}

/** `maxBytes` bounds what an embedded file may unpack to. */
export async function readContent(format: DocumentFormat, bytes: Buffer, maxBytes = 16 * 1024 ** 2): Promise<ReadOutcome> {
  try {
    switch (format) {
      case DocumentFormat.MT940:
        return { kind: "BANK_STATEMENT", statements: parseMt940(decodeText(bytes)) };
      case DocumentFormat.CAMT053:
        return { kind: "BANK_STATEMENT", statements: parseCamt053(decodeText(bytes)) };
      case DocumentFormat.UBL:
      case DocumentFormat.CII: {
        const invoice = invoiceFromXml(decodeText(bytes));
        const pdf = invoice.attachments.find((a) => a.mimeCode === "application/pdf" && isPdf(a.bytes));
        return invoiceOutcome(invoice, pdf?.bytes ?? null);
      }
      case DocumentFormat.PDF: {
        const embedded = await embeddedInvoiceXml(bytes, maxBytes);
        return embedded ? invoiceOutcome(invoiceFromXml(decodeText(embedded.xml)), bytes) : { kind: null };
      }
      default:
        return { kind: null };
    }
  } catch (error) {
    if (error instanceof StatementFormatError) return { kind: "FAILED", problem: `The bank statement could not be read: ${error.message}` };
    if (error instanceof InvoiceFormatError) return { kind: "FAILED", problem: `The invoice could not be read: ${error.message}` };
    // A pathological file (nesting deep enough to exhaust the stack, …) is a problem of that file, not of the server.
    if (error instanceof RangeError) return { kind: "FAILED", problem: "The file could not be read: it is nested too deeply" };
    throw error;
  }
}

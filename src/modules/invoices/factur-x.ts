// Finds the invoice XML a Factur-X / ZUGFeRD (or XRechnung-in-PDF) file carries as an embedded
// file, with pdf-lib. The stream is inflated with a cap: a small PDF must not unpack into gigabytes.
import zlib from "node:zlib";
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRawStream, PDFString } from "pdf-lib";
import { InvoiceFormatError } from "./invoice-model.js";

/** The names the standards give the embedded XML (compared without case). */
const INVOICE_FILES = new Set(["factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml", "zugferd_invoice.xml"]);
const MAX_TREE_NODES = 1000;

const nameOf = (spec: PDFDict) => {
  const name = spec.lookup(PDFName.of("UF")) ?? spec.lookup(PDFName.of("F"));
  return name instanceof PDFString || name instanceof PDFHexString ? name.decodeText() : null;
};

/** Every file specification of the document: the EmbeddedFiles name tree and the catalog's /AF. */
function fileSpecs(pdf: PDFDocument): PDFDict[] {
  const specs: PDFDict[] = [];
  let visited = 0;
  const walk = (node: PDFDict | undefined, depth: number) => {
    if (!node || depth > 16 || ++visited > MAX_TREE_NODES) return;
    const names = node.lookupMaybe(PDFName.of("Names"), PDFArray);
    for (let i = 1; names && i < names.size(); i += 2) {
      const spec = names.lookup(i);
      if (spec instanceof PDFDict) specs.push(spec);
    }
    const kids = node.lookupMaybe(PDFName.of("Kids"), PDFArray);
    for (let i = 0; kids && i < kids.size(); i += 1) {
      const kid = kids.lookup(i);
      if (kid instanceof PDFDict) walk(kid, depth + 1);
    }
  };
  walk(pdf.catalog.lookupMaybe(PDFName.of("Names"), PDFDict)?.lookupMaybe(PDFName.of("EmbeddedFiles"), PDFDict), 0);
  const associated = pdf.catalog.lookupMaybe(PDFName.of("AF"), PDFArray);
  for (let i = 0; associated && i < associated.size(); i += 1) {
    const spec = associated.lookup(i);
    if (spec instanceof PDFDict) specs.push(spec);
  }
  return specs;
}

function streamBytes(stream: PDFRawStream, maxBytes: number): Buffer {
  const filter = stream.dict.lookup(PDFName.of("Filter"));
  const filters = filter instanceof PDFName ? [filter] : filter instanceof PDFArray ? filter.asArray() : [];
  const names = filters.map((f) => (f instanceof PDFName ? f.asString() : String(f)));
  if (names.length === 0) return Buffer.from(stream.contents);
  if (names.length === 1 && names[0] === "/FlateDecode") {
    try {
      return zlib.inflateSync(stream.contents, { maxOutputLength: maxBytes });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE" || error instanceof RangeError) {
        throw new InvoiceFormatError(`the embedded invoice XML unpacks to more than ${Math.floor(maxBytes / 1024 ** 2)} MB`);
      }
      throw new InvoiceFormatError(`the embedded invoice XML cannot be unpacked: ${(error as Error).message}`);
    }
  }
  throw new InvoiceFormatError(`the embedded invoice XML uses a filter that is not read (${names.join(", ")})`);
}

/**
 * The embedded invoice XML of a PDF, or null when it carries none (an ordinary PDF). A PDF that
 * pdf-lib cannot open carries none as far as reading goes: it is still a document, with pages.
 */
export async function embeddedInvoiceXml(bytes: Buffer, maxBytes: number): Promise<{ filename: string; xml: Buffer } | null> {
  let pdf: PDFDocument;
  try {
    pdf = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
  } catch {
    return null;
  }
  for (const spec of fileSpecs(pdf)) {
    const filename = nameOf(spec);
    if (!filename || !INVOICE_FILES.has(filename.toLowerCase())) continue;
    const embedded = spec.lookupMaybe(PDFName.of("EF"), PDFDict);
    const stream = embedded?.lookup(PDFName.of("F")) ?? embedded?.lookup(PDFName.of("UF"));
    if (!(stream instanceof PDFRawStream)) throw new InvoiceFormatError(`the embedded file ${filename} has no content`);
    return { filename, xml: streamBytes(stream, maxBytes) };
  }
  return null;
}

// Real files for tests, made on the spot: PDFs, images, e-invoices, bank statements, impostors.
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import zlib from "node:zlib";
import { PDFDocument, StandardFonts } from "pdf-lib";
import sharp from "sharp";

export async function pdfBytes(pages: number, label = "Page"): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) {
    const page = pdf.addPage([595, 842]);
    page.drawText(`${label} ${i}`, { x: 50, y: 780, size: 24, font });
  }
  return Buffer.from(await pdf.save());
}

export async function pdfPageSizes(bytes: Uint8Array): Promise<Array<{ width: number; height: number; rotation: number }>> {
  const pdf = await PDFDocument.load(bytes);
  return pdf.getPages().map((p) => ({ ...p.getSize(), rotation: p.getRotation().angle }));
}

function image(width: number, height: number, colour: { r: number; g: number; b: number }) {
  return sharp({ create: { width, height, channels: 3, background: colour } });
}

export const pngBytes = (width = 40, height = 30, colour = { r: 200, g: 30, b: 30 }) => image(width, height, colour).png().toBuffer();
export const jpegBytes = (width = 60, height = 40, colour = { r: 30, g: 120, b: 200 }) => image(width, height, colour).jpeg().toBuffer();
export const tiffBytes = (width = 30, height = 30) => image(width, height, { r: 10, g: 200, b: 10 }).tiff().toBuffer();

export const ublInvoice = (number = "INV-2026-001") =>
  Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
         xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0</cbc:CustomizationID>
  <cbc:ID>${number}</cbc:ID>
  <cbc:IssueDate>2026-03-01</cbc:IssueDate>
</Invoice>
`);

export const camt053 = () =>
  Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt><GrpHdr><MsgId>STMT-1</MsgId></GrpHdr></BkToCstmrStmt>
</Document>
`);

export const mt940 = () =>
  Buffer.from(`:20:STMT2026030101
:25:NL91ABNA0417164300
:28C:00001/001
:60F:C260228EUR1234,56
:61:2603010301D12,50NMSCNONREF
:86:Koffie
:62F:C260301EUR1222,06
-
`);

/** An ELF executable header: a program, whatever its name says. */
export const executable = () => Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(4000, 0x90)]);

/**
 * Writes a valid one-page PDF of about `bytes` bytes to `file` without holding it in memory:
 * a page plus one large (unused) stream object, with a correct cross-reference table.
 */
export async function writeLargePdf(file: string, bytes: number): Promise<void> {
  const out = createWriteStream(file);
  let offset = 0;
  const offsets: number[] = [];
  const write = async (chunk: string | Buffer) => {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk, "latin1") : chunk;
    offset += buffer.length;
    if (!out.write(buffer)) await once(out, "drain");
  };
  const object = async (body: string) => {
    offsets.push(offset);
    await write(`${offsets.length} 0 obj\n${body}\nendobj\n`);
  };
  await write("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n");
  await object("<< /Type /Catalog /Pages 2 0 R >>");
  await object("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  await object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>");
  const fillerLength = Math.max(0, bytes - 1000);
  offsets.push(offset);
  await write(`4 0 obj\n<< /Length ${fillerLength} >>\nstream\n`);
  const chunk = Buffer.alloc(1024 * 1024, 0x41);
  for (let left = fillerLength; left > 0; left -= chunk.length) await write(left >= chunk.length ? chunk : chunk.subarray(0, left));
  await write("\nendstream\nendobj\n");
  const xref = offset;
  await write(`xref\n0 ${offsets.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`);
  await write(`trailer\n<< /Size ${offsets.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  out.end();
  await once(out, "finish");
}

/** The start of a HEIC file (ISO-BMFF `ftyp` box, brand heic), as phone cameras write it. */
export const heicBytes = () => {
  const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from("ftypheic"), Buffer.from([0, 0, 0, 0]), Buffer.from("mif1heic")]);
  const meta = Buffer.concat([Buffer.from([0, 0, 0, 0x10]), Buffer.from("meta"), Buffer.alloc(8)]);
  return Buffer.concat([ftyp, meta, Buffer.alloc(2000, 7)]);
};

/**
 * A decompression bomb: a valid PNG of `width` × `height` black pixels (1-bit grey) that is tiny
 * on disk (30000 × 30000: about 110 kB) and would take gigabytes to decode. Made row by row.
 */
export function bombPng(width: number, height: number): Buffer {
  const { crc32, deflateSync } = zlib;
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, no filter method, no interlace
  const row = Math.ceil(width / 8) + 1; // a filter byte and the row's bits, all zero
  const raw = Buffer.alloc(row * height);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A zip archive holding one file of `size` zero bytes, deflated to about a thousandth of that (a "zip bomb"). */
export function zipBomb(size: number): Buffer {
  const name = Buffer.from("factuur.pdf");
  const data = zlib.deflateRawSync(Buffer.alloc(size), { level: 9 });
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(size, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(name.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(local.length + name.length + data.length, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}

// Invoices read from documents: stored with their lines and VAT breakdown, their direction decided
// from who the administration is, and the same invoice arriving twice (in any format, or as an
// e-invoice and its own PDF rendition) reported as a duplicate under the administration's policy.
import type { DataSource, EntityManager } from "typeorm";
import { paginate, type PageArgs } from "../../db/pagination.js";
import { Administration } from "../administrations/administration.entity.js";
import { Document } from "../documents/document.entity.js";
import type { InvoiceWarning } from "./invoice-checks.js";
import { Invoice, InvoiceDirection, InvoiceLine, SupplierProfileRow } from "./invoice.entity.js";
import type { InvoiceField, SupplierProfile } from "./text-invoice.js";
import { InvoiceKind, type ParsedInvoice, type ParsedParty, InvoiceSource, normalizeVat } from "./invoice-model.js";

export interface ReadInvoice {
  invoice: ParsedInvoice;
  warnings: InvoiceWarning[];
  /** The PDF rendition's blob key (stored before the transaction), or null. */
  renditionSha256: string | null;
  /** E_INVOICE unless read from a page's words (TEXT, OCR), whose fields come with it. */
  source?: InvoiceSource;
  fields?: InvoiceField[];
}

/** How the duplicate checks name a supplier: VAT number, else KvK number, else the name in lower case. */
export function supplierKey(party: ParsedParty): string | null {
  if (party.vatNumber) return `vat:${party.vatNumber}`;
  if (party.kvkNumber) return `kvk:${party.kvkNumber}`;
  const name = party.name?.toLowerCase().replace(/\s+/g, " ").trim();
  return name ? `name:${name}` : null;
}

const clip = (text: string | null, length: number) => (text === null ? null : text.slice(0, length));

function partyColumns(party: ParsedParty) {
  return {
    name: clip(party.name, 200),
    vatNumber: clip(party.vatNumber, 30),
    kvkNumber: clip(party.kvkNumber, 20),
    iban: clip(party.iban, 40),
    address: clip(party.address, 300),
    country: party.country && /^[A-Z]{2}$/.test(party.country) ? party.country : null,
  };
}

export class InvoiceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly maxPageSize: number,
  ) {}

  /** What corrections taught about the supplier known by any of `keys` (vat:…, kvk:…, iban:…), merged; null when nothing. */
  async profile(manager: EntityManager, administrationId: string, keys: string[]): Promise<(SupplierProfile & { tray: string | null }) | null> {
    if (!keys.length) return null;
    const rows = await manager
      .getRepository(SupplierProfileRow)
      .createQueryBuilder("p")
      .where("p.administration_id = :administrationId AND p.supplier_key IN (:...keys)", { administrationId, keys })
      .orderBy("p.updated_at", "ASC")
      .getMany();
    if (!rows.length) return null;
    // Later corrections win.
    return rows.reduce<SupplierProfile & { tray: string | null }>(
      (merged, row) => ({ labels: { ...merged.labels, ...row.labels }, name: row.name ?? merged.name, vatRate: row.vatRate ?? merged.vatRate, tray: row.tray ?? merged.tray }),
      { labels: {}, name: null, vatRate: null, tray: null },
    );
  }

  /** A page of an invoice's lines, in order. */
  async lines(invoiceId: string, page: PageArgs) {
    const qb = this.dataSource.getRepository(InvoiceLine).createQueryBuilder("l").where("l.invoice_id = :invoiceId", { invoiceId });
    return paginate(qb, page, { expr: "l.position", type: "bigint", direction: "ASC", idExpr: "l.invoice_id" }, this.maxPageSize);
  }

  /**
   * Stores the invoice read from `document` in the caller's transaction. Returns another live
   * document holding the same invoice, when there is one (the caller decides which is the copy).
   */
  async record(manager: EntityManager, document: Document, read: ReadInvoice): Promise<{ invoice: Invoice; sameAs: Document | null }> {
    const { invoice: parsed } = read;
    const warnings = [...read.warnings];
    const direction = await this.direction(manager, document.administrationId, parsed);
    if (direction === null) warnings.push({ rule: "DIRECTION", values: {} });
    const key = supplierKey(parsed.supplier);
    // One invoice of a supplier at a time per administration decides what is a duplicate.
    await manager.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 13))", [`${document.administrationId}:${key ?? ""}`]);
    const row = manager.getRepository(Invoice).create({
      firmId: document.firmId,
      administrationId: document.administrationId,
      documentId: document.id,
      source: read.source ?? InvoiceSource.E_INVOICE,
      kind: parsed.kind,
      direction: direction ?? InvoiceDirection.PURCHASE,
      syntax: parsed.syntax,
      customizationId: clip(parsed.customizationId, 200),
      number: clip(parsed.number, 100),
      issueDate: parsed.issueDate,
      dueDate: parsed.dueDate,
      currency: parsed.currency && /^[A-Z]{3}$/.test(parsed.currency) ? parsed.currency : null,
      netCents: parsed.netCents,
      vatCents: parsed.vatCents,
      grossCents: parsed.grossCents,
      payableCents: parsed.payableCents,
      paymentReference: clip(parsed.paymentReference, 140),
      precedingNumber: clip(parsed.precedingNumber, 100),
      supplier: partyColumns(parsed.supplier),
      customer: partyColumns(parsed.customer),
      supplierKey: clip(key, 200),
      warnings,
      fields: read.fields ?? [],
      renditionSha256: read.renditionSha256,
    });
    await manager.getRepository(Invoice).insert(row);
    await this.insertDetails(manager, row.id, parsed);
    return { invoice: row, sameAs: await this.sameInvoice(manager, document, row) };
  }

  private async insertDetails(manager: EntityManager, invoiceId: string, parsed: ParsedInvoice): Promise<void> {
    if (parsed.lines.length) {
      await manager.query(
        `INSERT INTO invoice_lines (invoice_id, position, line_id, description, quantity, unit_code, unit_price, amount_cents, vat_category, vat_rate)
         SELECT $1, ordinality - 1, line_id, description, quantity, unit_code, unit_price, amount_cents, vat_category, vat_rate
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::text[])
           WITH ORDINALITY AS l(line_id, description, quantity, unit_code, unit_price, amount_cents, vat_category, vat_rate, ordinality)`,
        [
          invoiceId,
          parsed.lines.map((l) => clip(l.lineId, 50)),
          parsed.lines.map((l) => l.description),
          parsed.lines.map((l) => clip(l.quantity, 30)),
          parsed.lines.map((l) => clip(l.unitCode, 10)),
          parsed.lines.map((l) => clip(l.unitPrice, 30)),
          parsed.lines.map((l) => String(l.amountCents)),
          parsed.lines.map((l) => clip(l.vatCategory, 4)),
          parsed.lines.map((l) => clip(l.vatRate, 10)),
        ],
      );
    }
    for (const [position, vat] of parsed.vatBreakdown.entries()) {
      await manager.query("INSERT INTO invoice_vat_lines (invoice_id, position, category, rate, taxable_cents, vat_cents) VALUES ($1, $2, $3, $4, $5, $6)", [
        invoiceId,
        position,
        vat.category.slice(0, 4),
        clip(vat.rate, 10),
        String(vat.taxableCents),
        String(vat.vatCents),
      ]);
    }
  }

  /**
   * SALES when the administration is the supplier, PURCHASE when it is the customer (by VAT number,
   * KvK number or one of its bank accounts); a credit note follows the invoice it corrects where that
   * invoice is here. Null when neither party is recognised.
   */
  private async direction(manager: EntityManager, administrationId: string, parsed: ParsedInvoice): Promise<InvoiceDirection | null> {
    if (parsed.kind === InvoiceKind.CREDIT_NOTE && parsed.precedingNumber) {
      const [corrected] = (await manager.query(
        "SELECT direction FROM invoices i JOIN documents d ON d.id = i.document_id WHERE i.administration_id = $1 AND i.number = $2 AND i.supplier_key IS NOT DISTINCT FROM $3 AND d.removed_at IS NULL LIMIT 1",
        [administrationId, parsed.precedingNumber, supplierKey(parsed.supplier)],
      )) as Array<{ direction: InvoiceDirection }>;
      if (corrected) return corrected.direction;
    }
    const administration = await manager.getRepository(Administration).findOneByOrFail({ id: administrationId });
    const ibans = ((await manager.query("SELECT account FROM bank_accounts WHERE administration_id = $1", [administrationId])) as Array<{ account: string }>).map((r) => r.account);
    const own = (party: ParsedParty) =>
      Boolean(
        (party.vatNumber && party.vatNumber === normalizeVat(administration.vatNumber)) ||
        (party.kvkNumber && party.kvkNumber === administration.chamberOfCommerceNumber) ||
        (party.iban && ibans.includes(party.iban)),
      );
    if (own(parsed.supplier)) return InvoiceDirection.SALES;
    if (own(parsed.customer)) return InvoiceDirection.PURCHASE;
    return null;
  }

  /**
   * The first-uploaded other live document holding the same invoice: the same supplier and number,
   * or the same supplier, day and total, or (for an e-invoice) its own PDF rendition uploaded by itself.
   */
  private async sameInvoice(manager: EntityManager, document: Document, invoice: Invoice): Promise<Document | null> {
    const rows = (await manager.query(
      `SELECT d.* FROM documents d
        WHERE d.administration_id = $1 AND d.id <> $2 AND d.removed_at IS NULL AND d.replaced_at IS NULL
          AND (EXISTS (SELECT 1 FROM invoices i WHERE i.document_id = d.id AND i.supplier_key = $3
                        AND (i.number = $4 OR (i.issue_date = $5 AND i.gross_cents = $6)))
               OR d.sha256 = $7)
        ORDER BY d.uploaded_at, d.id LIMIT 1`,
      [
        document.administrationId,
        document.id,
        invoice.supplierKey,
        invoice.number,
        invoice.issueDate,
        invoice.grossCents === null ? null : String(invoice.grossCents),
        invoice.renditionSha256,
      ],
    )) as Array<{ id: string }>;
    if (!rows[0]) return null;
    return manager.getRepository(Document).findOneByOrFail({ id: rows[0].id });
  }

  /** The e-invoice whose own rendition `pdf` is (same bytes), for a PDF that carries no invoice itself. */
  async renditionOf(manager: EntityManager, pdf: Document): Promise<Document | null> {
    const rows = (await manager.query(
      `SELECT i.document_id FROM invoices i JOIN documents d ON d.id = i.document_id
        WHERE i.administration_id = $1 AND i.rendition_sha256 = $2 AND d.removed_at IS NULL
        ORDER BY d.uploaded_at LIMIT 1`,
      [pdf.administrationId, pdf.sha256],
    )) as Array<{ document_id: string }>;
    if (!rows[0]) return null;
    return manager.getRepository(Document).findOneByOrFail({ id: rows[0].document_id });
  }
}

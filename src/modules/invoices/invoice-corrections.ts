// A person corrects a field read from a scan or PDF: the invoice row and its field change (marked
// corrected, placed where the value is printed), the arithmetic checks run again, the act is
// audited, and the supplier's profile learns where that field's value sits (the label before it),
// its usual VAT rate and its name — so that supplier's next invoice is read right.
import type { DataSource, EntityManager } from "typeorm";
import { type Viewer, requireActor } from "../../core/actor.js";
import { UserError, UserErrorCode } from "../../core/errors.js";
import { inTransaction } from "../../db/transaction.js";
import type { EventBus } from "../../events/bus.js";
import { Administration } from "../administrations/administration.entity.js";
import type { AuditService } from "../audit/audit.service.js";
import { assertChangeable, findVisibleDocument } from "../documents/document.policy.js";
import type { PageSource, PageWord } from "../files/page-words.js";
import { AMOUNT_FIELDS, normalisedFieldValue } from "./field-values.js";
import { checkReadArithmetic, type InvoiceWarning } from "./invoice-checks.js";
import { Invoice, InvoiceVatLine } from "./invoice.entity.js";
import { assertMayCorrectInvoice } from "./invoice.policy.js";
import { supplierKey } from "./invoice.service.js";
import { emptyParty, InvoiceSource, type ParsedInvoice } from "./invoice-model.js";
import { type InvoiceField, type InvoiceFieldName, labelBefore, locateValue, type TextPage } from "./text-invoice.js";

const cents = (text: string | null) => (text === null ? null : BigInt(Math.round(Number(text) * 100)));

/** Puts a field's value (null: cleared) into the invoice's columns. */
function applyToColumns(invoice: Invoice, name: InvoiceFieldName, value: string | null): void {
  switch (name) {
    case "supplierName":
      invoice.supplier.name = value;
      break;
    case "supplierVatNumber":
      invoice.supplier.vatNumber = value;
      break;
    case "supplierKvkNumber":
      invoice.supplier.kvkNumber = value;
      break;
    case "supplierIban":
      invoice.supplier.iban = value;
      break;
    case "number":
    case "issueDate":
    case "dueDate":
    case "currency":
    case "paymentReference":
      invoice[name] = value;
      break;
    case "netTotal":
      invoice.netCents = cents(value);
      break;
    case "vatTotal":
      invoice.vatCents = cents(value);
      break;
    case "grossTotal":
      invoice.grossCents = cents(value);
      invoice.payableCents = cents(value);
      break;
    default:
      break; // per-rate amounts live in the fields and the VAT lines
  }
}

/** The invoice as the checks see it, from its corrected columns. */
function asParsed(invoice: Invoice, vatLines: InvoiceVatLine[]): ParsedInvoice {
  return {
    syntax: "TEXT",
    customizationId: null,
    kind: invoice.kind,
    number: invoice.number,
    issueDate: invoice.issueDate,
    dueDate: invoice.dueDate,
    currency: invoice.currency,
    lineTotalCents: null,
    allowanceTotalCents: 0n,
    chargeTotalCents: 0n,
    netCents: invoice.netCents,
    vatCents: invoice.vatCents,
    grossCents: invoice.grossCents,
    prepaidCents: 0n,
    roundingCents: 0n,
    payableCents: invoice.payableCents,
    paymentReference: invoice.paymentReference,
    paymentMeansCodes: [],
    precedingNumber: invoice.precedingNumber,
    orderReference: null,
    supplier: { ...emptyParty(), ...invoice.supplier },
    customer: { ...emptyParty(), ...invoice.customer },
    taxRepresentative: null,
    vatBreakdown: vatLines.map((l) => ({ category: l.category, rate: l.rate, taxableCents: l.taxableCents, vatCents: l.vatCents })),
    lines: [],
    attachments: [],
    roundedAmounts: [],
  };
}

export class InvoiceCorrections {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly bus: EventBus,
  ) {}

  /** Corrects one field of the invoice read from `documentId`; `value` null clears it. */
  async correct(viewer: Viewer, input: { documentId: string; name: InvoiceFieldName; value: string | null }): Promise<Invoice> {
    const actor = requireActor(viewer);
    const value = input.value === null ? null : normalisedFieldValue(input.name, input.value);
    return inTransaction(this.dataSource, async (manager) => {
      const document = await findVisibleDocument(manager, actor, input.documentId, true);
      const administration = await manager.getRepository(Administration).findOneByOrFail({ id: document.administrationId });
      assertMayCorrectInvoice(actor, administration);
      assertChangeable(document, ["documentId"]);
      const invoice = await manager.getRepository(Invoice).findOne({ where: { documentId: document.id }, lock: { mode: "pessimistic_write" } });
      if (!invoice)
        throw new UserError(UserErrorCode.WRONG_STATE, { en: `No invoice was read from "${document.filename}"`, nl: `Uit "${document.filename}" is geen factuur gelezen` }, [
          "documentId",
        ]);
      if (invoice.source === InvoiceSource.E_INVOICE)
        throw new UserError(
          UserErrorCode.WRONG_STATE,
          {
            en: "An e-invoice's data is exact as sent; it is not corrected here",
            nl: "De gegevens van een e-factuur zijn precies zoals ze zijn verzonden; ze worden hier niet gecorrigeerd",
          },
          ["documentId"],
        );
      const pages = await this.pages(manager, document.id);
      const before = invoice.fields.find((f) => f.name === input.name) ?? null;
      const place = value === null ? null : (locateValue(pages, input.name, value) ?? (before?.page ? { page: before.page, box: before.box } : null));
      const pageRotation = pages.find((p) => p.pageNumber === place?.page)?.rotation ?? 0;
      const corrected: InvoiceField | null =
        value === null ? null : { name: input.name, value, confidence: 1, page: place?.page ?? null, box: place?.box ?? null, pageRotation, corrected: true };
      invoice.fields = [...invoice.fields.filter((f) => f.name !== input.name), ...(corrected ? [corrected] : [])];
      applyToColumns(invoice, input.name, value);
      if (AMOUNT_FIELDS.includes(input.name) && input.name !== "grossTotal") invoice.vatCents = this.vatOf(invoice);
      invoice.supplierKey = supplierKey({ ...emptyParty(), ...invoice.supplier });
      const vatLines = await manager.getRepository(InvoiceVatLine).find({ where: { invoiceId: invoice.id }, order: { position: "ASC" } });
      const kept: InvoiceWarning[] = invoice.warnings.filter((w) => w.rule === "DIRECTION");
      invoice.warnings = [...checkReadArithmetic(asParsed(invoice, vatLines)), ...kept];
      await manager.getRepository(Invoice).save(invoice);
      await this.learn(manager, invoice, pages, corrected);
      await this.audit.record(manager, actor, {
        firmId: document.firmId,
        administrationId: document.administrationId,
        action: "invoice.field_corrected",
        subjectType: "Document",
        subjectId: document.id,
        note: null,
        details: { filename: document.filename, field: input.name, from: before?.value ?? null, to: value },
      });
      await this.bus.publish(manager, { topic: "document.changed", administrationId: document.administrationId, documentId: document.id, change: "UPDATED" });
      return invoice;
    });
  }

  /** The VAT total the fields make where none is printed: the sum of the VAT per rate. */
  private vatOf(invoice: Invoice): bigint | null {
    const field = (name: InvoiceFieldName) => invoice.fields.find((f) => f.name === name)?.value ?? null;
    if (field("vatTotal")) return cents(field("vatTotal"));
    const rates = [field("vat21"), field("vat9")].filter((v): v is string => v !== null);
    return rates.length ? rates.reduce((sum, v) => sum + cents(v)!, 0n) : invoice.vatCents;
  }

  private async pages(manager: EntityManager, documentId: string): Promise<TextPage[]> {
    const rows = (await manager.query("SELECT page_number, source, rotation, words FROM document_pages WHERE document_id = $1 ORDER BY page_number LIMIT 5", [
      documentId,
    ])) as Array<{
      page_number: number;
      source: PageSource;
      rotation: number;
      words: PageWord[];
    }>;
    return rows.map((r) => ({ pageNumber: r.page_number, source: r.source, rotation: r.rotation, words: r.words }));
  }

  /** Teaches the supplier's profile (one row per key it is known by) what the correction shows. */
  private async learn(manager: EntityManager, invoice: Invoice, pages: TextPage[], corrected: InvoiceField | null): Promise<void> {
    const keys = [
      invoice.supplier.vatNumber && `vat:${invoice.supplier.vatNumber}`,
      invoice.supplier.kvkNumber && `kvk:${invoice.supplier.kvkNumber}`,
      invoice.supplier.iban && `iban:${invoice.supplier.iban}`,
    ].filter((k): k is string => Boolean(k));
    if (!keys.length || !corrected) return;
    const label = corrected.page && corrected.box && corrected.name !== "supplierName" ? labelBefore(pages, corrected.page, corrected.box) : null;
    const rate = corrected.name === "vat21" ? "21" : corrected.name === "vat9" ? "9" : corrected.name === "taxable0" ? "0" : null;
    for (const key of keys) {
      await manager.query(
        `INSERT INTO supplier_profiles (administration_id, supplier_key, name, labels, vat_rate, corrections, updated_at)
         VALUES ($1, $2, $3, $4::jsonb, $5, 1, now())
         ON CONFLICT (administration_id, supplier_key) DO UPDATE SET
           name = coalesce(EXCLUDED.name, supplier_profiles.name), labels = supplier_profiles.labels || EXCLUDED.labels,
           vat_rate = coalesce(EXCLUDED.vat_rate, supplier_profiles.vat_rate), corrections = supplier_profiles.corrections + 1, updated_at = now()`,
        [invoice.administrationId, key, corrected.name === "supplierName" ? corrected.value : null, JSON.stringify(label ? { [corrected.name]: label } : {}), rate],
      );
    }
  }
}

import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";
import { centsColumn } from "../../db/cents-column.js";
import type { InvoiceWarning } from "./invoice-checks.js";
import type { InvoiceField } from "./text-invoice.js";
import { InvoiceKind, InvoiceSource } from "./invoice-model.js";

export enum InvoiceDirection {
  /** The administration is the buyer. */
  PURCHASE = "PURCHASE",
  /** The administration is the seller. */
  SALES = "SALES",
}

/** A party as an invoice names it (columns of the invoice row, one set per role). */
export class InvoicePartyColumns {
  @Column({ type: "varchar", length: 200, nullable: true })
  name: string | null;

  @Column({ type: "varchar", length: 30, nullable: true })
  vatNumber: string | null;

  @Column({ type: "varchar", length: 20, nullable: true })
  kvkNumber: string | null;

  @Column({ type: "varchar", length: 40, nullable: true })
  iban: string | null;

  @Column({ type: "varchar", length: 300, nullable: true })
  address: string | null;

  @Column({ type: "char", length: 2, nullable: true })
  country: string | null;
}

/** The invoice or credit note read from a document (one per document). */
@Entity({ name: "invoices" })
export class Invoice {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  firmId: string;

  @Column({ type: "uuid" })
  administrationId: string;

  @Column({ type: "uuid" })
  documentId: string;

  @Column({ type: "varchar", length: 10 })
  source: InvoiceSource;

  @Column({ type: "varchar", length: 12 })
  kind: InvoiceKind;

  @Column({ type: "varchar", length: 10 })
  direction: InvoiceDirection;

  /** The syntax (UBL, CII) and the specification it claims (CustomizationID / guideline). */
  @Column({ type: "varchar", length: 4 })
  syntax: string;

  @Column({ type: "varchar", length: 200, nullable: true })
  customizationId: string | null;

  @Column({ type: "varchar", length: 100, nullable: true })
  number: string | null;

  @Column({ type: "date", nullable: true })
  issueDate: string | null;

  @Column({ type: "date", nullable: true })
  dueDate: string | null;

  @Column({ type: "char", length: 3, nullable: true })
  currency: string | null;

  @Column({ type: "bigint", nullable: true, transformer: centsColumn })
  netCents: bigint | null;

  @Column({ type: "bigint", nullable: true, transformer: centsColumn })
  vatCents: bigint | null;

  @Column({ type: "bigint", nullable: true, transformer: centsColumn })
  grossCents: bigint | null;

  @Column({ type: "bigint", nullable: true, transformer: centsColumn })
  payableCents: bigint | null;

  @Column({ type: "varchar", length: 140, nullable: true })
  paymentReference: string | null;

  @Column({ type: "varchar", length: 100, nullable: true })
  precedingNumber: string | null;

  @Column(() => InvoicePartyColumns, { prefix: "supplier" })
  supplier: InvoicePartyColumns;

  @Column(() => InvoicePartyColumns, { prefix: "customer" })
  customer: InvoicePartyColumns;

  /** Who the supplier is for duplicate checks: VAT number, else KvK number, else the name in lower case. */
  @Column({ type: "varchar", length: 200, nullable: true })
  supplierKey: string | null;

  @Column({ type: "jsonb" })
  warnings: InvoiceWarning[];

  /** Fields read from a page's words (TEXT, OCR) with their confidence and place; empty for e-invoices. */
  @Column({ type: "jsonb" })
  fields: InvoiceField[];

  /** The PDF rendition the e-invoice carries (blob key), used as its preview. */
  @Column({ type: "char", length: 64, nullable: true })
  renditionSha256: string | null;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;
}

@Entity({ name: "invoice_lines" })
export class InvoiceLine {
  @PrimaryColumn({ type: "uuid" })
  invoiceId: string;

  @PrimaryColumn({ type: "int" })
  position: number;

  @Column({ type: "varchar", length: 50, nullable: true })
  lineId: string | null;

  @Column({ type: "text", nullable: true })
  description: string | null;

  @Column({ type: "varchar", length: 30, nullable: true })
  quantity: string | null;

  @Column({ type: "varchar", length: 10, nullable: true })
  unitCode: string | null;

  @Column({ type: "varchar", length: 30, nullable: true })
  unitPrice: string | null;

  @Column({ type: "bigint", transformer: centsColumn })
  amountCents: bigint;

  @Column({ type: "varchar", length: 4, nullable: true })
  vatCategory: string | null;

  @Column({ type: "varchar", length: 10, nullable: true })
  vatRate: string | null;
}

@Entity({ name: "invoice_vat_lines" })
export class InvoiceVatLine {
  @PrimaryColumn({ type: "uuid" })
  invoiceId: string;

  @PrimaryColumn({ type: "int" })
  position: number;

  @Column({ type: "varchar", length: 4 })
  category: string;

  @Column({ type: "varchar", length: 10, nullable: true })
  rate: string | null;

  @Column({ type: "bigint", transformer: centsColumn })
  taxableCents: bigint;

  @Column({ type: "bigint", transformer: centsColumn })
  vatCents: bigint;
}

/** What corrections taught about a supplier of an administration (recognised by btw-id, KvK or IBAN). */
@Entity({ name: "supplier_profiles" })
export class SupplierProfileRow {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  administrationId: string;

  /** vat:…, kvk:… or iban:… — one row per key the supplier is known by. */
  @Column({ type: "varchar", length: 200 })
  supplierKey: string;

  @Column({ type: "varchar", length: 200, nullable: true })
  name: string | null;

  @Column({ type: "jsonb" })
  labels: Record<string, string>;

  @Column({ type: "varchar", length: 10, nullable: true })
  vatRate: string | null;

  /** The tray its documents were last filed into by a person. */
  @Column({ type: "varchar", length: 20, nullable: true })
  tray: string | null;

  @Column({ type: "int" })
  corrections: number;

  @Column({ type: "timestamptz" })
  updatedAt: Date;
}

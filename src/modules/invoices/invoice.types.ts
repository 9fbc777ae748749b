import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { formatCents } from "../../core/money.js";
import { toGlobalId } from "../../graphql/global-id.js";
import { Connection } from "../../graphql/relay.js";
import { Decimal } from "../../graphql/scalars.js";
import { type Invoice, InvoiceDirection, type InvoiceLine, type InvoicePartyColumns, type InvoiceVatLine } from "./invoice.entity.js";
import { InvoiceKind, InvoiceSource } from "./invoice-model.js";

registerEnumType(InvoiceSource, {
  name: "InvoiceSource",
  description: "Where an invoice's data came from.",
  valuesConfig: {
    E_INVOICE: { description: "A structured e-invoice (UBL, SI-UBL, Peppol BIS, Factur-X / ZUGFeRD): exact." },
    TEXT: { description: "Read from a PDF's text." },
    OCR: { description: "Read from a scan by OCR." },
  },
});
registerEnumType(InvoiceKind, {
  name: "InvoiceKind",
  description: "What kind of commercial document.",
  valuesConfig: { INVOICE: { description: "An invoice." }, CREDIT_NOTE: { description: "A credit note (corrects an invoice)." }, RECEIPT: { description: "A till receipt." } },
});
registerEnumType(InvoiceDirection, {
  name: "InvoiceDirection",
  description: "Whether the administration bought or sold.",
  valuesConfig: { PURCHASE: { description: "The administration is the customer." }, SALES: { description: "The administration is the supplier." } },
});

const cents = (value: bigint | null) => (value === null ? null : formatCents(value));

@ObjectType("InvoiceParty", { description: "A supplier or customer as the invoice names it." })
export class InvoicePartyType {
  @Field(() => String, { nullable: true, description: "Name." })
  name: string | null;

  @Field(() => String, { nullable: true, description: "VAT identification number (e.g. NL123456789B01)." })
  vatNumber: string | null;

  @Field(() => String, { nullable: true, description: "Chamber of Commerce (KvK) number." })
  kvkNumber: string | null;

  @Field(() => String, { nullable: true, description: "The IBAN to pay to (supplier)." })
  iban: string | null;

  @Field(() => String, { nullable: true, description: "Street, postcode and city on one line." })
  address: string | null;

  @Field(() => String, { nullable: true, description: "Country (ISO 3166 code)." })
  country: string | null;

  static from(p: InvoicePartyColumns): InvoicePartyType {
    return Object.assign(new InvoicePartyType(), p);
  }
}

@ObjectType("InvoiceVatLine", { description: "One rate of an invoice's VAT breakdown." })
export class InvoiceVatLineType {
  @Field(() => String, { nullable: true, description: 'The rate in percent as written, e.g. "21" or "9.00"; null for exempt categories without one.' })
  rate: string | null;

  @Field(() => String, { description: "The VAT category code (S standard, Z zero, E exempt, AE reverse charge, K intra-EU, G export, O outside scope)." })
  category: string;

  @Field(() => Decimal, { description: "The amount taxed at this rate." })
  taxable: string;

  @Field(() => Decimal, { description: "The VAT at this rate." })
  vat: string;

  static from(v: InvoiceVatLine): InvoiceVatLineType {
    return Object.assign(new InvoiceVatLineType(), { rate: v.rate, category: v.category, taxable: formatCents(v.taxableCents), vat: formatCents(v.vatCents) });
  }
}

@ObjectType("InvoiceLine", { description: "One line of an invoice." })
export class InvoiceLineType {
  @Field(() => String, { nullable: true, description: "The line's own id on the invoice." })
  lineId: string | null;

  @Field(() => String, { nullable: true, description: "What was supplied." })
  description: string | null;

  @Field(() => String, { nullable: true, description: "Quantity as written (may have more decimals than an amount)." })
  quantity: string | null;

  @Field(() => String, { nullable: true, description: "Unit of the quantity (UN/ECE rec. 20, e.g. C62 piece, HUR hour)." })
  unitCode: string | null;

  @Field(() => String, { nullable: true, description: "Net price per unit as written." })
  unitPrice: string | null;

  @Field(() => Decimal, { description: "The line's net amount." })
  amount: string;

  @Field(() => String, { nullable: true, description: "VAT category code of the line." })
  vatCategory: string | null;

  @Field(() => String, { nullable: true, description: "VAT rate of the line in percent." })
  vatRate: string | null;

  static from(l: InvoiceLine): InvoiceLineType {
    return Object.assign(new InvoiceLineType(), { ...l, amount: formatCents(l.amountCents) });
  }
}

export const InvoiceLineConnection = Connection(InvoiceLineType, "InvoiceLine");

@ObjectType("InvoiceWarning", { description: "Something the checks found on an invoice: its arithmetic (EN 16931 BR-CO rules) or a Dutch rule (NL-R-001 … 009)." })
export class InvoiceWarningType {
  @Field(() => String, { description: 'The rule, e.g. "BR-CO-15", "NL-R-003", or "DIRECTION" when neither party is the administration.' })
  rule: string;

  @Field(() => String, { description: "What is wrong, in the viewer's language." })
  message: string;
}

@ObjectType("Invoice", { description: "An invoice or credit note read from a document." })
export class InvoiceType {
  @Field(() => ID, { description: "Global id." })
  id: string;

  @Field(() => InvoiceSource, { description: "Where its data came from." })
  source: InvoiceSource;

  @Field(() => InvoiceKind, { description: "Invoice, credit note or receipt." })
  kind: InvoiceKind;

  @Field(() => InvoiceDirection, { description: "Purchase or sales, from whether the administration is the customer or the supplier (credit notes follow their invoice)." })
  direction: InvoiceDirection;

  @Field(() => String, { nullable: true, description: "The specification it claims (CustomizationID or CII guideline), e.g. SI-UBL 2.0 or Peppol BIS Billing 3.0." })
  specification: string | null;

  @Field(() => String, { nullable: true, description: "Invoice number." })
  number: string | null;

  @Field(() => String, { nullable: true, description: "Issue date, YYYY-MM-DD." })
  issueDate: string | null;

  @Field(() => String, { nullable: true, description: "Due date, YYYY-MM-DD." })
  dueDate: string | null;

  @Field(() => String, { nullable: true, description: "Currency (ISO 4217)." })
  currency: string | null;

  @Field(() => Decimal, { nullable: true, description: "Total without VAT." })
  netTotal: string | null;

  @Field(() => Decimal, { nullable: true, description: "Total VAT." })
  vatTotal: string | null;

  @Field(() => Decimal, { nullable: true, description: "Total with VAT." })
  grossTotal: string | null;

  @Field(() => Decimal, { nullable: true, description: "Amount due (after prepayments and rounding)." })
  payableAmount: string | null;

  @Field(() => String, { nullable: true, description: "The payment reference to quote." })
  paymentReference: string | null;

  @Field(() => String, { nullable: true, description: "For a credit note: the number of the invoice it corrects." })
  precedingInvoiceNumber: string | null;

  @Field(() => InvoicePartyType, { description: "The supplier (seller)." })
  supplier: InvoicePartyType;

  @Field(() => InvoicePartyType, { description: "The customer (buyer)." })
  customer: InvoicePartyType;

  entity: Invoice;

  static from(i: Invoice): InvoiceType {
    return Object.assign(new InvoiceType(), {
      id: toGlobalId("Invoice", i.id),
      entity: i,
      source: i.source,
      kind: i.kind,
      direction: i.direction,
      specification: i.customizationId,
      number: i.number,
      issueDate: i.issueDate,
      dueDate: i.dueDate,
      currency: i.currency,
      netTotal: cents(i.netCents),
      vatTotal: cents(i.vatCents),
      grossTotal: cents(i.grossCents),
      payableAmount: cents(i.payableCents),
      paymentReference: i.paymentReference,
      precedingInvoiceNumber: i.precedingNumber,
      supplier: InvoicePartyType.from(i.supplier),
      customer: InvoicePartyType.from(i.customer),
    });
  }
}

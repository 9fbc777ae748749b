import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { type PayloadBase, UserErrorType } from "../../graphql/payload.js";
import { INVOICE_FIELDS, type FieldBox, type InvoiceField, type InvoiceFieldName } from "./text-invoice.js";
import { formatCents } from "../../core/money.js";
import { toGlobalId } from "../../graphql/global-id.js";
import { Connection } from "../../graphql/relay.js";
import { Decimal, LocalDate } from "../../graphql/scalars.js";
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

  @Field(() => String, { nullable: true, description: "VAT identification number (e.g. NL123456782B01)." })
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

  @Field(() => LocalDate, { nullable: true, description: "Issue date, YYYY-MM-DD." })
  issueDate: string | null;

  @Field(() => LocalDate, { nullable: true, description: "Due date, YYYY-MM-DD." })
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

/** The fields as a GraphQL enum: SUPPLIER_NAME for supplierName, and so on. */
export const InvoiceFieldEnum = Object.fromEntries(INVOICE_FIELDS.map((name) => [name.replace(/([A-Z])/g, "_$1").toUpperCase(), name])) as Record<string, InvoiceFieldName>;
const FIELD_DESCRIPTIONS: Record<InvoiceFieldName, string> = {
  supplierName: "The supplier's name.",
  supplierVatNumber: "The supplier's VAT number (btw-id), check digits verified.",
  supplierKvkNumber: "The supplier's KvK number.",
  supplierIban: "The IBAN to pay to, mod-97 verified.",
  number: "The invoice (or receipt) number.",
  issueDate: "The issue date, YYYY-MM-DD.",
  dueDate: "The due date, YYYY-MM-DD.",
  currency: "The currency (ISO 4217).",
  netTotal: "The total without VAT.",
  vat21: "The VAT at 21%.",
  vat9: "The VAT at 9%.",
  taxable0: "The amount at 0% or exempt from VAT.",
  vatTotal: "The total VAT.",
  grossTotal: "The total with VAT.",
  paymentReference: "The payment reference (betalingskenmerk) to quote.",
};
registerEnumType(InvoiceFieldEnum, {
  name: "InvoiceFieldName",
  description: "A field read from the words on an invoice or receipt.",
  valuesConfig: Object.fromEntries(Object.entries(InvoiceFieldEnum).map(([key, name]) => [key, { description: FIELD_DESCRIPTIONS[name] }])),
});

@ObjectType("FieldBox", { description: "Where on its page a value is printed, in fractions (0–1) of the upright page: x and y from the top left." })
export class FieldBoxType {
  @Field(() => Float, { description: "Left edge." })
  x: number;

  @Field(() => Float, { description: "Top edge." })
  y: number;

  @Field(() => Float, { description: "Width." })
  width: number;

  @Field(() => Float, { description: "Height." })
  height: number;
}

@ObjectType("InvoiceField", { description: "A field read from the words on a scan or PDF, with how sure the reading is and where it was found." })
export class InvoiceFieldType {
  @Field(() => InvoiceFieldEnum, { description: "Which field." })
  name: InvoiceFieldName;

  @Field(() => String, { description: "The value: dates YYYY-MM-DD, amounts like 1234.56, identifiers without spaces." })
  value: string;

  @Field(() => Float, { description: "How sure the reading is, 0–1 (1 for a correction)." })
  confidence: number;

  @Field(() => Int, { nullable: true, description: "The page it was found on (1-based)." })
  page: number | null;

  @Field(() => FieldBoxType, { nullable: true, description: "Where on the page (for highlighting on the page image)." })
  box: FieldBox | null;

  @Field(() => Int, { description: "Clockwise degrees its page was turned to read it (a sideways photo: 90 or 270); `box` is of the page turned so." })
  pageRotation: number;

  @Field(() => Boolean, { description: "Whether a person corrected it." })
  corrected: boolean;

  static from(f: InvoiceField): InvoiceFieldType {
    return Object.assign(new InvoiceFieldType(), {
      ...f,
      box: f.box ? Object.assign(new FieldBoxType(), f.box) : null,
      pageRotation: f.pageRotation ?? 0,
      corrected: f.corrected ?? false,
    });
  }
}

@InputType("CorrectInvoiceFieldInput", { description: "A field of an invoice read from a scan or PDF, as it should be." })
export class CorrectInvoiceFieldInput {
  @Field(() => ID, { description: "The document the invoice was read from." })
  documentId: string;

  @Field(() => InvoiceFieldEnum, { description: "Which field." })
  field: InvoiceFieldName;

  @Field(() => String, { nullable: true, description: "The right value (dates and amounts in Dutch or ISO notation are understood); null clears the field." })
  value: string | null;
}

@ObjectType("InvoicePayload", { description: "Result of correcting an invoice." })
export class InvoicePayload implements PayloadBase {
  @Field(() => InvoiceType, { nullable: true, description: "The invoice as corrected." })
  invoice: InvoiceType | null;

  @Field(() => [UserErrorType], { description: "Why it could not be corrected." })
  userErrors: UserErrorType[];
}

// UBL 2.1 Invoice and CreditNote (SI-UBL 2.0 / NLCIUS and Peppol BIS Billing 3.0 are UBL with rules
// on top), read into the invoice model. Elements are found by local name under a root whose
// namespace is checked: cbc/cac prefixes vary between senders.
import { attributeValue, childNamed, childrenNamed, parseXml, pathText, pathTo, XmlSyntaxError, type XmlElement } from "../../core/xml-tree.js";
import { isCalendarDate } from "../../core/validation.js";
import {
  amountCents,
  emptyParty,
  InvoiceFormatError,
  InvoiceKind,
  normalizeVat,
  type ParsedAttachment,
  type ParsedInvoice,
  type ParsedLine,
  type ParsedParty,
  type ParsedVatLine,
} from "./invoice-model.js";

const ROOTS: Record<string, { kind: InvoiceKind; namespace: string; line: string; quantity: string }> = {
  Invoice: { kind: InvoiceKind.INVOICE, namespace: "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2", line: "InvoiceLine", quantity: "InvoicedQuantity" },
  CreditNote: { kind: InvoiceKind.CREDIT_NOTE, namespace: "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2", line: "CreditNoteLine", quantity: "CreditedQuantity" },
};

/** Parses the text of an XML document, turning its syntax errors into the reader's. */
export function parseInvoiceXml(xml: string): XmlElement {
  try {
    return parseXml(xml.replace(/^\uFEFF/, ""));
  } catch (error) {
    if (error instanceof XmlSyntaxError) throw new InvoiceFormatError(error.message);
    throw error;
  }
}

const value = (text: string | null) => (text && text.trim() ? text.trim() : null);

function isoDate(text: string | null, where: string): string | null {
  if (!text) return null;
  if (!isCalendarDate(text)) throw new InvoiceFormatError(`${where}: "${text}" is not a date (YYYY-MM-DD)`);
  return text;
}

function party(root: XmlElement, ...path: string[]): ParsedParty {
  const p = pathTo(root, ...path);
  if (!p) return emptyParty();
  const address = childNamed(p, "PostalAddress");
  const street = address ? value(pathText(address, "StreetName")) : null;
  const postcode = address ? value(pathText(address, "PostalZone")) : null;
  const city = address ? value(pathText(address, "CityName")) : null;
  const legal = childNamed(p, "PartyLegalEntity");
  const legalId = legal ? childNamed(legal, "CompanyID") : null;
  const endpoint = childNamed(p, "EndpointID");
  const scheme = legalId ? attributeValue(legalId, "schemeID") : null;
  // KvK: the legal entity id under scheme 0106, else an endpoint under 0106.
  const kvk = scheme === "0106" ? value(legalId!.text) : endpoint && attributeValue(endpoint, "schemeID") === "0106" ? value(endpoint.text) : null;
  const vat = childrenNamed(p, "PartyTaxScheme").find((t) => (pathText(t, "TaxScheme", "ID") ?? "VAT") === "VAT");
  return {
    name: value(pathText(p, "PartyName", "Name")) ?? (legal ? value(pathText(legal, "RegistrationName")) : null),
    vatNumber: normalizeVat(vat ? value(pathText(vat, "CompanyID")) : null),
    kvkNumber: kvk,
    iban: null,
    address: [street, [postcode, city].filter(Boolean).join(" ")].filter(Boolean).join(", ") || null,
    country: address ? value(pathText(address, "Country", "IdentificationCode")) : null,
    addressParts: { street: Boolean(street), city: Boolean(city), postcode: Boolean(postcode) },
    legalIdScheme: scheme,
  };
}

function attachments(root: XmlElement): ParsedAttachment[] {
  return childrenNamed(root, "AdditionalDocumentReference").flatMap((reference) => {
    const object = pathTo(reference, "Attachment", "EmbeddedDocumentBinaryObject");
    if (!object) return [];
    return [{ filename: attributeValue(object, "filename"), mimeCode: attributeValue(object, "mimeCode") ?? "", bytes: Buffer.from(object.text.replace(/\s+/g, ""), "base64") }];
  });
}

/** Reads a UBL Invoice or CreditNote; throws InvoiceFormatError for anything it cannot read. */
export function parseUbl(root: XmlElement): ParsedInvoice {
  const shape = ROOTS[root.localName];
  if (!shape || root.namespace !== shape.namespace) {
    throw new InvoiceFormatError(`the root element is {${root.namespace ?? ""}}${root.localName}, not a UBL 2.1 Invoice or CreditNote`);
  }
  const rounded: string[] = [];
  const currency = value(pathText(root, "DocumentCurrencyCode"));
  const totals = childNamed(root, "LegalMonetaryTotal");
  const total = (name: string) => amountCents(totals ? pathText(totals, name) : null, name, rounded);
  // A second TaxTotal in the accounting currency may follow: the document currency's has the breakdown.
  const taxTotals = childrenNamed(root, "TaxTotal");
  const taxTotal = taxTotals.find((t) => attributeValue(childNamed(t, "TaxAmount") ?? t, "currencyID") === currency) ?? taxTotals[0] ?? null;
  const vatBreakdown: ParsedVatLine[] = taxTotal
    ? childrenNamed(taxTotal, "TaxSubtotal").map((sub, i) => ({
        category: value(pathText(sub, "TaxCategory", "ID")) ?? "S",
        rate: value(pathText(sub, "TaxCategory", "Percent")),
        taxableCents: amountCents(pathText(sub, "TaxableAmount"), `TaxSubtotal ${i + 1} TaxableAmount`, rounded) ?? 0n,
        vatCents: amountCents(pathText(sub, "TaxAmount"), `TaxSubtotal ${i + 1} TaxAmount`, rounded) ?? 0n,
      }))
    : [];
  const lines: ParsedLine[] = childrenNamed(root, shape.line).map((line, i) => {
    const quantity = childNamed(line, shape.quantity);
    const amount = amountCents(pathText(line, "LineExtensionAmount"), `line ${i + 1} LineExtensionAmount`, rounded);
    if (amount === null) throw new InvoiceFormatError(`line ${i + 1} has no LineExtensionAmount`);
    return {
      lineId: value(pathText(line, "ID")),
      description: value(pathText(line, "Item", "Name")) ?? value(pathText(line, "Item", "Description")),
      quantity: quantity ? value(quantity.text) : null,
      unitCode: quantity ? attributeValue(quantity, "unitCode") : null,
      unitPrice: value(pathText(line, "Price", "PriceAmount")),
      amountCents: amount,
      vatCategory: value(pathText(line, "Item", "ClassifiedTaxCategory", "ID")),
      vatRate: value(pathText(line, "Item", "ClassifiedTaxCategory", "Percent")),
      orderLineReference: value(pathText(line, "OrderLineReference", "LineID")),
    };
  });
  const means = childrenNamed(root, "PaymentMeans");
  const supplier = party(root, "AccountingSupplierParty", "Party");
  supplier.iban =
    means
      .map((m) => value(pathText(m, "PayeeFinancialAccount", "ID")))
      .find(Boolean)
      ?.replace(/\s+/g, "")
      .toUpperCase() ?? null;
  const typeCode = value(pathText(root, "InvoiceTypeCode")) ?? value(pathText(root, "CreditNoteTypeCode"));
  return {
    syntax: "UBL",
    customizationId: value(pathText(root, "CustomizationID")),
    // 381 is a credit note even when sent as an Invoice document.
    kind: shape.kind === InvoiceKind.INVOICE && typeCode === "381" ? InvoiceKind.CREDIT_NOTE : shape.kind,
    number: value(pathText(root, "ID")),
    issueDate: isoDate(value(pathText(root, "IssueDate")), "IssueDate"),
    dueDate: isoDate(value(pathText(root, "DueDate")) ?? means.map((m) => value(pathText(m, "PaymentDueDate"))).find(Boolean) ?? null, "DueDate"),
    currency,
    lineTotalCents: total("LineExtensionAmount"),
    allowanceTotalCents: total("AllowanceTotalAmount") ?? 0n,
    chargeTotalCents: total("ChargeTotalAmount") ?? 0n,
    netCents: total("TaxExclusiveAmount"),
    vatCents: taxTotal ? amountCents(pathText(taxTotal, "TaxAmount"), "TaxTotal TaxAmount", rounded) : null,
    grossCents: total("TaxInclusiveAmount"),
    prepaidCents: total("PrepaidAmount") ?? 0n,
    roundingCents: total("PayableRoundingAmount") ?? 0n,
    payableCents: total("PayableAmount"),
    paymentReference: means.map((m) => value(pathText(m, "PaymentID"))).find(Boolean) ?? null,
    paymentMeansCodes: means.map((m) => value(pathText(m, "PaymentMeansCode"))).filter((c): c is string => c !== null),
    precedingNumber: value(pathText(root, "BillingReference", "InvoiceDocumentReference", "ID")),
    orderReference: value(pathText(root, "OrderReference", "ID")),
    supplier,
    customer: party(root, "AccountingCustomerParty", "Party"),
    taxRepresentative: childNamed(root, "TaxRepresentativeParty") ? party(root, "TaxRepresentativeParty") : null,
    vatBreakdown,
    lines,
    attachments: attachments(root),
    roundedAmounts: rounded,
  };
}

// UN/CEFACT Cross Industry Invoice (CII D16B), the XML of Factur-X and ZUGFeRD 2.x (embedded in a
// PDF) and of XRechnung's CII flavour, read into the invoice model.
import { attributeValue, childNamed, childrenNamed, pathText, pathTo, type XmlElement } from "../../core/xml-tree.js";
import { isCalendarDate } from "../../core/validation.js";
import { amountCents, emptyParty, InvoiceFormatError, InvoiceKind, normalizeVat, type ParsedInvoice, type ParsedLine, type ParsedParty } from "./invoice-model.js";

const NAMESPACE = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100";
// Type codes of credit notes in CII (381 credit note, 396 factored credit note, 261 self-billed credit note).
const CREDIT_CODES = new Set(["381", "396", "261", "262"]);

const value = (text: string | null) => (text && text.trim() ? text.trim() : null);

/** udt:DateTimeString with format 102 (YYYYMMDD) as an ISO date. */
function ciiDate(element: XmlElement | null, where: string): string | null {
  const text = element ? value(pathText(element, "DateTimeString")) : null;
  if (!text) return null;
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  const iso = match ? `${match[1]}-${match[2]}-${match[3]}` : text;
  if (!isCalendarDate(iso)) throw new InvoiceFormatError(`${where}: "${text}" is not a date (YYYYMMDD)`);
  return iso;
}

function party(p: XmlElement | null): ParsedParty {
  if (!p) return emptyParty();
  const address = childNamed(p, "PostalTradeAddress");
  const street = address ? value(pathText(address, "LineOne")) : null;
  const postcode = address ? value(pathText(address, "PostcodeCode")) : null;
  const city = address ? value(pathText(address, "CityName")) : null;
  const legalId = pathTo(p, "SpecifiedLegalOrganization", "ID");
  const scheme = legalId ? attributeValue(legalId, "schemeID") : null;
  const vat = childrenNamed(p, "SpecifiedTaxRegistration").find((r) => attributeValue(childNamed(r, "ID") ?? r, "schemeID") === "VA");
  return {
    name: value(pathText(p, "Name")),
    vatNumber: normalizeVat(vat ? value(pathText(vat, "ID")) : null),
    kvkNumber: scheme === "0106" ? value(legalId!.text) : null,
    iban: null,
    address: [street, [postcode, city].filter(Boolean).join(" ")].filter(Boolean).join(", ") || null,
    country: address ? value(pathText(address, "CountryID")) : null,
    addressParts: { street: Boolean(street), city: Boolean(city), postcode: Boolean(postcode) },
    legalIdScheme: scheme,
  };
}

export function isCii(root: XmlElement): boolean {
  return root.localName === "CrossIndustryInvoice";
}

/** Reads a CII invoice; throws InvoiceFormatError for anything it cannot read. */
export function parseCii(root: XmlElement): ParsedInvoice {
  if (root.namespace !== NAMESPACE) throw new InvoiceFormatError(`the root element is {${root.namespace ?? ""}}${root.localName}, not a CII CrossIndustryInvoice`);
  const rounded: string[] = [];
  const document = childNamed(root, "ExchangedDocument");
  const transaction = childNamed(root, "SupplyChainTradeTransaction");
  if (!document || !transaction) throw new InvoiceFormatError("ExchangedDocument or SupplyChainTradeTransaction is missing");
  const agreement = childNamed(transaction, "ApplicableHeaderTradeAgreement");
  const settlement = childNamed(transaction, "ApplicableHeaderTradeSettlement");
  if (!agreement || !settlement) throw new InvoiceFormatError("the header trade agreement or settlement is missing");
  const currency = value(pathText(settlement, "InvoiceCurrencyCode"));
  const sums = childNamed(settlement, "SpecifiedTradeSettlementHeaderMonetarySummation");
  const sum = (name: string) => amountCents(sums ? pathText(sums, name) : null, name, rounded);
  // TaxTotalAmount may appear twice (document and accounting currency): take the document currency's.
  const taxTotals = sums ? childrenNamed(sums, "TaxTotalAmount") : [];
  const taxTotal = taxTotals.find((t) => attributeValue(t, "currencyID") === currency) ?? taxTotals[0] ?? null;
  const lines: ParsedLine[] = childrenNamed(transaction, "IncludedSupplyChainTradeLineItem").map((item, i) => {
    const quantity = pathTo(item, "SpecifiedLineTradeDelivery", "BilledQuantity");
    const lineSettlement = childNamed(item, "SpecifiedLineTradeSettlement");
    const amount = amountCents(
      lineSettlement ? pathText(lineSettlement, "SpecifiedTradeSettlementLineMonetarySummation", "LineTotalAmount") : null,
      `line ${i + 1} LineTotalAmount`,
      rounded,
    );
    if (amount === null) throw new InvoiceFormatError(`line ${i + 1} has no LineTotalAmount`);
    return {
      lineId: value(pathText(item, "AssociatedDocumentLineDocument", "LineID")),
      description: value(pathText(item, "SpecifiedTradeProduct", "Name")),
      quantity: quantity ? value(quantity.text) : null,
      unitCode: quantity ? attributeValue(quantity, "unitCode") : null,
      unitPrice: value(pathText(item, "SpecifiedLineTradeAgreement", "NetPriceProductTradePrice", "ChargeAmount")),
      amountCents: amount,
      vatCategory: lineSettlement ? value(pathText(lineSettlement, "ApplicableTradeTax", "CategoryCode")) : null,
      vatRate: lineSettlement ? value(pathText(lineSettlement, "ApplicableTradeTax", "RateApplicablePercent")) : null,
      orderLineReference: value(pathText(item, "SpecifiedLineTradeAgreement", "BuyerOrderReferencedDocument", "LineID")),
    };
  });
  const means = childrenNamed(settlement, "SpecifiedTradeSettlementPaymentMeans");
  const supplier = party(childNamed(agreement, "SellerTradeParty"));
  supplier.iban =
    means
      .map((m) => value(pathText(m, "PayeePartyCreditorFinancialAccount", "IBANID")))
      .find(Boolean)
      ?.replace(/\s+/g, "")
      .toUpperCase() ?? null;
  const typeCode = value(pathText(document, "TypeCode"));
  return {
    syntax: "CII",
    customizationId: value(pathText(root, "ExchangedDocumentContext", "GuidelineSpecifiedDocumentContextParameter", "ID")),
    kind: typeCode && CREDIT_CODES.has(typeCode) ? InvoiceKind.CREDIT_NOTE : InvoiceKind.INVOICE,
    number: value(pathText(document, "ID")),
    issueDate: ciiDate(childNamed(document, "IssueDateTime"), "IssueDateTime"),
    dueDate: ciiDate(pathTo(settlement, "SpecifiedTradePaymentTerms", "DueDateDateTime"), "DueDateDateTime"),
    currency,
    lineTotalCents: sum("LineTotalAmount"),
    allowanceTotalCents: sum("AllowanceTotalAmount") ?? 0n,
    chargeTotalCents: sum("ChargeTotalAmount") ?? 0n,
    netCents: sum("TaxBasisTotalAmount"),
    vatCents: taxTotal ? amountCents(taxTotal.text, "TaxTotalAmount", rounded) : null,
    grossCents: sum("GrandTotalAmount"),
    prepaidCents: sum("TotalPrepaidAmount") ?? 0n,
    roundingCents: sum("RoundingAmount") ?? 0n,
    payableCents: sum("DuePayableAmount"),
    paymentReference: value(pathText(settlement, "PaymentReference")),
    paymentMeansCodes: means.map((m) => value(pathText(m, "TypeCode"))).filter((c): c is string => c !== null),
    precedingNumber: value(pathText(settlement, "InvoiceReferencedDocument", "IssuerAssignedID")),
    orderReference: value(pathText(agreement, "BuyerOrderReferencedDocument", "IssuerAssignedID")),
    supplier,
    customer: party(childNamed(agreement, "BuyerTradeParty")),
    taxRepresentative: childNamed(agreement, "SellerTaxRepresentativeTradeParty") ? party(childNamed(agreement, "SellerTaxRepresentativeTradeParty")) : null,
    vatBreakdown: childrenNamed(settlement, "ApplicableTradeTax").map((tax, i) => ({
      category: value(pathText(tax, "CategoryCode")) ?? "S",
      rate: value(pathText(tax, "RateApplicablePercent")),
      taxableCents: amountCents(pathText(tax, "BasisAmount"), `ApplicableTradeTax ${i + 1} BasisAmount`, rounded) ?? 0n,
      vatCents: amountCents(pathText(tax, "CalculatedAmount"), `ApplicableTradeTax ${i + 1} CalculatedAmount`, rounded) ?? 0n,
    })),
    lines,
    attachments: [],
    roundedAmounts: rounded,
  };
}

// Generated e-invoices with their known answers: a seeded invoice model (several VAT rates, foreign
// currency, credit notes) written as UBL 2.1 (plain, SI-UBL 2.0 / NLCIUS, Peppol BIS 3.0), as CII,
// and as Factur-X (CII embedded in a PDF). The model is what reading the file must give back.
import { formatCents } from "../../src/core/money.js";
import { AFRelationship, PDFDocument, StandardFonts } from "pdf-lib";
import { seeded } from "./bank-fixtures.js";

export interface PartyModel {
  name: string;
  vatNumber: string | null;
  kvkNumber: string | null;
  iban: string | null;
  street: string;
  postcode: string;
  city: string;
  country: string;
}

export interface LineModel {
  lineId: string;
  description: string;
  quantity: string;
  unitCode: string;
  unitPrice: string;
  amount: string;
  vatCategory: string;
  vatRate: string;
}

export interface InvoiceModel {
  kind: "INVOICE" | "CREDIT_NOTE";
  number: string;
  issueDate: string;
  dueDate: string;
  currency: string;
  paymentReference: string;
  precedingNumber: string | null;
  supplier: PartyModel;
  customer: PartyModel;
  lines: LineModel[];
  vatBreakdown: Array<{ rate: string; category: string; taxable: string; vat: string }>;
  netTotal: string;
  vatTotal: string;
  grossTotal: string;
  payableAmount: string;
  paymentMeansCode: string;
  legalIdScheme: string;
}

export const SUPPLIER: PartyModel = {
  name: "Drukkerij Van der Meer BV",
  vatNumber: "NL859615471B01",
  kvkNumber: "34127562",
  iban: "NL91ABNA0417164300",
  street: "Keizersgracht 1",
  postcode: "1015 CJ",
  city: "Amsterdam",
  country: "NL",
};

export const CUSTOMER: PartyModel = {
  name: "Bakkerij De Korenschoof",
  vatNumber: "NL001234567B01",
  kvkNumber: "12345678",
  iban: null,
  street: "Dorpsstraat 12",
  postcode: "3512 AB",
  city: "Utrecht",
  country: "NL",
};

const cents = (text: string) => BigInt(text.replace(".", ""));
const money = formatCents;
const RATES = [
  { rate: "21", category: "S" },
  { rate: "9", category: "S" },
  { rate: "0", category: "Z" },
];

export interface InvoiceOptions {
  seed: number;
  number?: string;
  kind?: "INVOICE" | "CREDIT_NOTE";
  precedingNumber?: string | null;
  currency?: string;
  supplier?: PartyModel;
  customer?: PartyModel;
  lines?: number;
  /** The 21% VAT line charged five cents too much (totals kept consistent with it). */
  wrongVat?: boolean;
  paymentMeansCode?: string;
  legalIdScheme?: string;
}

export function invoiceModel(options: InvoiceOptions): InvoiceModel {
  const random = seeded(options.seed);
  const lines: LineModel[] = [];
  for (let i = 0; i < (options.lines ?? 5); i += 1) {
    const vat = RATES[i % RATES.length]!;
    const quantity = BigInt(Math.floor(random() * 20) + 1);
    const price = BigInt(Math.floor(random() * 50000) + 100);
    lines.push({
      lineId: String(i + 1),
      description: `Drukwerk ${["folders", "visitekaartjes", "posters", "brochures", "flyers"][i % 5]} & ontwerp <${i + 1}>`,
      quantity: String(quantity),
      unitCode: "C62",
      unitPrice: money(price),
      amount: money(quantity * price),
      vatCategory: vat.category,
      vatRate: vat.rate,
    });
  }
  const breakdown = RATES.map(({ rate, category }) => {
    const taxable = lines.filter((l) => l.vatRate === rate).reduce((sum, l) => sum + cents(l.amount), 0n);
    let vat = (taxable * BigInt(rate) + 50n) / 100n;
    if (options.wrongVat && rate === "21") vat += 5n;
    return { rate, category, taxable: money(taxable), vat: money(vat) };
  }).filter((b) => cents(b.taxable) !== 0n);
  const net = lines.reduce((sum, l) => sum + cents(l.amount), 0n);
  const vat = breakdown.reduce((sum, b) => sum + cents(b.vat), 0n);
  return {
    kind: options.kind ?? "INVOICE",
    number: options.number ?? `F2026-${String(options.seed).padStart(4, "0")}`,
    issueDate: "2026-03-14",
    dueDate: "2026-04-13",
    currency: options.currency ?? "EUR",
    paymentReference: `RF18${String(options.seed).padStart(8, "0")}`,
    precedingNumber: options.precedingNumber ?? null,
    supplier: options.supplier ?? SUPPLIER,
    customer: options.customer ?? CUSTOMER,
    lines,
    vatBreakdown: breakdown,
    netTotal: money(net),
    vatTotal: money(vat),
    grossTotal: money(net + vat),
    payableAmount: money(net + vat),
    paymentMeansCode: options.paymentMeansCode ?? "30",
    legalIdScheme: options.legalIdScheme ?? "0106",
  };
}

const esc = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export type UblProfile = "UBL" | "SI-UBL" | "PEPPOL";
const CUSTOMIZATION: Record<UblProfile, string | null> = {
  UBL: null,
  "SI-UBL": "urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0",
  PEPPOL: "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0",
};

function ublParty(p: PartyModel, scheme: string): string {
  return `<cac:Party>
      ${p.kvkNumber ? `<cbc:EndpointID schemeID="${scheme}">${p.kvkNumber}</cbc:EndpointID>` : ""}
      <cac:PartyName><cbc:Name>${esc(p.name)}</cbc:Name></cac:PartyName>
      <cac:PostalAddress>
        <cbc:StreetName>${esc(p.street)}</cbc:StreetName><cbc:CityName>${esc(p.city)}</cbc:CityName><cbc:PostalZone>${p.postcode}</cbc:PostalZone>
        <cac:Country><cbc:IdentificationCode>${p.country}</cbc:IdentificationCode></cac:Country>
      </cac:PostalAddress>
      ${p.vatNumber ? `<cac:PartyTaxScheme><cbc:CompanyID>${p.vatNumber}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>` : ""}
      <cac:PartyLegalEntity><cbc:RegistrationName>${esc(p.name)}</cbc:RegistrationName>${p.kvkNumber ? `<cbc:CompanyID schemeID="${scheme}">${p.kvkNumber}</cbc:CompanyID>` : ""}</cac:PartyLegalEntity>
    </cac:Party>`;
}

/** A UBL 2.1 Invoice or CreditNote; `rendition` is embedded as its PDF (AdditionalDocumentReference). */
export function toUbl(m: InvoiceModel, profile: UblProfile = "SI-UBL", rendition?: Buffer): string {
  const root = m.kind === "CREDIT_NOTE" ? "CreditNote" : "Invoice";
  const line = m.kind === "CREDIT_NOTE" ? "CreditNoteLine" : "InvoiceLine";
  const quantity = m.kind === "CREDIT_NOTE" ? "CreditedQuantity" : "InvoicedQuantity";
  const c = m.currency;
  const customization = CUSTOMIZATION[profile];
  return `<?xml version="1.0" encoding="UTF-8"?>
<${root} xmlns="urn:oasis:names:specification:ubl:schema:xsd:${root}-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  ${customization ? `<cbc:CustomizationID>${customization}</cbc:CustomizationID>` : ""}
  ${profile === "PEPPOL" ? "<cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>" : ""}
  <cbc:ID>${m.number}</cbc:ID>
  <cbc:IssueDate>${m.issueDate}</cbc:IssueDate>
  ${m.kind === "INVOICE" ? `<cbc:DueDate>${m.dueDate}</cbc:DueDate><cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>` : "<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>"}
  <cbc:DocumentCurrencyCode>${c}</cbc:DocumentCurrencyCode>
  ${m.precedingNumber ? `<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>${m.precedingNumber}</cbc:ID></cac:InvoiceDocumentReference></cac:BillingReference>` : ""}
  ${rendition ? `<cac:AdditionalDocumentReference><cbc:ID>${m.number}.pdf</cbc:ID><cac:Attachment><cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf" filename="${m.number}.pdf">${rendition.toString("base64")}</cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:AdditionalDocumentReference>` : ""}
  <cac:AccountingSupplierParty>${ublParty(m.supplier, m.legalIdScheme)}</cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty>${ublParty(m.customer, "0106")}</cac:AccountingCustomerParty>
  <cac:PaymentMeans>
    <cbc:PaymentMeansCode>${m.paymentMeansCode}</cbc:PaymentMeansCode>
    ${m.kind === "CREDIT_NOTE" ? `<cbc:PaymentDueDate>${m.dueDate}</cbc:PaymentDueDate>` : ""}
    <cbc:PaymentID>${m.paymentReference}</cbc:PaymentID>
    ${m.supplier.iban ? `<cac:PayeeFinancialAccount><cbc:ID>${m.supplier.iban}</cbc:ID></cac:PayeeFinancialAccount>` : ""}
  </cac:PaymentMeans>
  <cac:TaxTotal>
    <cbc:TaxAmount currencyID="${c}">${m.vatTotal}</cbc:TaxAmount>
    ${m.vatBreakdown
      .map(
        (b) => `<cac:TaxSubtotal>
      <cbc:TaxableAmount currencyID="${c}">${b.taxable}</cbc:TaxableAmount><cbc:TaxAmount currencyID="${c}">${b.vat}</cbc:TaxAmount>
      <cac:TaxCategory><cbc:ID>${b.category}</cbc:ID><cbc:Percent>${b.rate}</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
    </cac:TaxSubtotal>`,
      )
      .join("\n    ")}
  </cac:TaxTotal>
  ${c !== "EUR" ? `<cac:TaxTotal><cbc:TaxAmount currencyID="EUR">${m.vatTotal}</cbc:TaxAmount></cac:TaxTotal>` : ""}
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="${c}">${m.netTotal}</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="${c}">${m.netTotal}</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="${c}">${m.grossTotal}</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="${c}">${m.payableAmount}</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  ${m.lines
    .map(
      (l) => `<cac:${line}>
    <cbc:ID>${l.lineId}</cbc:ID>
    <cbc:${quantity} unitCode="${l.unitCode}">${l.quantity}</cbc:${quantity}>
    <cbc:LineExtensionAmount currencyID="${c}">${l.amount}</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>${esc(l.description)}</cbc:Name><cac:ClassifiedTaxCategory><cbc:ID>${l.vatCategory}</cbc:ID><cbc:Percent>${l.vatRate}</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="${c}">${l.unitPrice}</cbc:PriceAmount></cac:Price>
  </cac:${line}>`,
    )
    .join("\n  ")}
</${root}>
`;
}

const ciiDate = (date: string) => `<udt:DateTimeString format="102">${date.replace(/-/g, "")}</udt:DateTimeString>`;

function ciiParty(tag: string, p: PartyModel, scheme: string): string {
  return `<ram:${tag}>
        <ram:Name>${esc(p.name)}</ram:Name>
        ${p.kvkNumber ? `<ram:SpecifiedLegalOrganization><ram:ID schemeID="${scheme}">${p.kvkNumber}</ram:ID></ram:SpecifiedLegalOrganization>` : ""}
        <ram:PostalTradeAddress><ram:PostcodeCode>${p.postcode}</ram:PostcodeCode><ram:LineOne>${esc(p.street)}</ram:LineOne><ram:CityName>${esc(p.city)}</ram:CityName><ram:CountryID>${p.country}</ram:CountryID></ram:PostalTradeAddress>
        ${p.vatNumber ? `<ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">${p.vatNumber}</ram:ID></ram:SpecifiedTaxRegistration>` : ""}
      </ram:${tag}>`;
}

/** A UN/CEFACT CII invoice (Factur-X EN 16931 profile). */
export function toCii(m: InvoiceModel): string {
  const c = m.currency;
  return `<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
  xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
  xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:cen.eu:en16931:2017</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument><ram:ID>${m.number}</ram:ID><ram:TypeCode>${m.kind === "CREDIT_NOTE" ? "381" : "380"}</ram:TypeCode><ram:IssueDateTime>${ciiDate(m.issueDate)}</ram:IssueDateTime></rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
    ${m.lines
      .map(
        (l) => `<ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument><ram:LineID>${l.lineId}</ram:LineID></ram:AssociatedDocumentLineDocument>
      <ram:SpecifiedTradeProduct><ram:Name>${esc(l.description)}</ram:Name></ram:SpecifiedTradeProduct>
      <ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice><ram:ChargeAmount>${l.unitPrice}</ram:ChargeAmount></ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>
      <ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="${l.unitCode}">${l.quantity}</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>
      <ram:SpecifiedLineTradeSettlement>
        <ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>${l.vatCategory}</ram:CategoryCode><ram:RateApplicablePercent>${l.vatRate}</ram:RateApplicablePercent></ram:ApplicableTradeTax>
        <ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>${l.amount}</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation>
      </ram:SpecifiedLineTradeSettlement>
    </ram:IncludedSupplyChainTradeLineItem>`,
      )
      .join("\n    ")}
    <ram:ApplicableHeaderTradeAgreement>
      ${ciiParty("SellerTradeParty", m.supplier, m.legalIdScheme)}
      ${ciiParty("BuyerTradeParty", m.customer, "0106")}
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeDelivery/>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:PaymentReference>${m.paymentReference}</ram:PaymentReference>
      <ram:InvoiceCurrencyCode>${c}</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>${m.paymentMeansCode}</ram:TypeCode>${m.supplier.iban ? `<ram:PayeePartyCreditorFinancialAccount><ram:IBANID>${m.supplier.iban}</ram:IBANID></ram:PayeePartyCreditorFinancialAccount>` : ""}</ram:SpecifiedTradeSettlementPaymentMeans>
      ${m.vatBreakdown
        .map(
          (b) =>
            `<ram:ApplicableTradeTax><ram:CalculatedAmount>${b.vat}</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode><ram:BasisAmount>${b.taxable}</ram:BasisAmount><ram:CategoryCode>${b.category}</ram:CategoryCode><ram:RateApplicablePercent>${b.rate}</ram:RateApplicablePercent></ram:ApplicableTradeTax>`,
        )
        .join("\n      ")}
      <ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime>${ciiDate(m.dueDate)}</ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:LineTotalAmount>${m.netTotal}</ram:LineTotalAmount>
        <ram:TaxBasisTotalAmount>${m.netTotal}</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="${c}">${m.vatTotal}</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>${m.grossTotal}</ram:GrandTotalAmount>
        <ram:DuePayableAmount>${m.payableAmount}</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
      ${m.precedingNumber ? `<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>${m.precedingNumber}</ram:IssuerAssignedID></ram:InvoiceReferencedDocument>` : ""}
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
`;
}

/** A one-page PDF showing the invoice (what a supplier's software prints). */
export async function invoicePdf(m: InvoiceModel): Promise<PDFDocument> {
  const pdf = await PDFDocument.create();
  pdf.setCreationDate(new Date("2026-03-14T00:00:00Z"));
  pdf.setModificationDate(new Date("2026-03-14T00:00:00Z"));
  const page = pdf.addPage([595, 842]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const lines = [`${m.kind === "CREDIT_NOTE" ? "Creditnota" : "Factuur"} ${m.number}`, m.supplier.name, `Datum ${m.issueDate}`, `Totaal ${m.currency} ${m.grossTotal}`];
  lines.forEach((text, i) => page.drawText(text, { x: 50, y: 780 - i * 20, size: 12, font }));
  return pdf;
}

export async function invoicePdfBytes(m: InvoiceModel): Promise<Buffer> {
  return Buffer.from(await (await invoicePdf(m)).save({ useObjectStreams: false }));
}

/** A Factur-X PDF: the printed invoice with its CII XML attached as factur-x.xml. */
export async function toFacturX(m: InvoiceModel, name = "factur-x.xml"): Promise<Buffer> {
  const pdf = await invoicePdf(m);
  await pdf.attach(Buffer.from(toCii(m)), name, { mimeType: "text/xml", description: "Factur-X invoice", afRelationship: AFRelationship.Alternative });
  return Buffer.from(await pdf.save());
}

/** The model as the API answers `Document.invoice` (the fields a test compares whole). */
export function expectedInvoice(m: InvoiceModel, direction: "PURCHASE" | "SALES") {
  const party = (p: PartyModel) => ({
    name: p.name,
    vatNumber: p.vatNumber,
    kvkNumber: p.kvkNumber,
    iban: p.iban,
    address: `${p.street}, ${p.postcode} ${p.city}`,
    country: p.country,
  });
  return {
    source: "E_INVOICE",
    kind: m.kind,
    direction,
    number: m.number,
    issueDate: m.issueDate,
    dueDate: m.dueDate,
    currency: m.currency,
    netTotal: m.netTotal,
    vatTotal: m.vatTotal,
    grossTotal: m.grossTotal,
    payableAmount: m.payableAmount,
    paymentReference: m.paymentReference,
    precedingInvoiceNumber: m.precedingNumber,
    supplier: party(m.supplier),
    customer: { ...party(m.customer), iban: null },
    vatBreakdown: m.vatBreakdown,
    lines: m.lines.map((l) => ({
      lineId: l.lineId,
      description: l.description,
      quantity: l.quantity,
      unitCode: l.unitCode,
      unitPrice: l.unitPrice,
      amount: l.amount,
      vatCategory: l.vatCategory,
      vatRate: l.vatRate,
    })),
  };
}

// The choices that make two invoices with the same data look different: labels (Dutch and English
// variants seen on real invoices), fonts, number and date styles, which optional lines appear.
import { rgb, type RGB } from "pdf-lib";
import type { Family } from "./canvas.js";
import { AMOUNT_STYLES, type AmountStyle, type DateStyle } from "./formats.js";
import type { Language } from "./model.js";
import { chance, float, pick, type Rand } from "./random.js";

const LABELS = {
  nl: {
    title: ["FACTUUR", "Factuur"],
    number: ["Factuurnummer", "Factuurnr."],
    date: ["Factuurdatum", "Datum"],
    due: ["Vervaldatum", "Te betalen vóór"],
    term: ["Betalingstermijn"],
    days: ["dagen"],
    customerNumber: ["Klantnummer", "Debiteurnummer", "Klantnr."],
    customerReference: ["Uw referentie", "Uw kenmerk"],
    customerVat: ["Uw btw-nummer", "Btw-nr. afnemer"],
    billTo: ["", "Factuuradres", "Aan"],
    description: ["Omschrijving"],
    quantity: ["Aantal"],
    price: ["Prijs", "Stukprijs", "Tarief"],
    rate: ["Btw", "BTW"],
    amount: ["Bedrag", "Totaal"],
    net: ["Subtotaal", "Totaal excl. btw"],
    vat: ["BTW {r}%", "Btw {r}%"],
    over: ["over"],
    exempt: ["Vrijgesteld van btw", "Btw vrijgesteld"],
    vatTotal: ["Totaal btw", "Btw totaal"],
    gross: ["Totaal incl. btw", "Totaal"],
    amountDue: ["Te betalen", "Totaal te betalen"],
    reference: ["Betalingskenmerk"],
    kvk: ["KvK", "KvK-nummer", "KvK nr."],
    vatId: ["Btw-nummer", "BTW-id", "Btw-id", "BTW nr."],
    tel: ["Tel.", "T"],
    email: ["E-mail", "E"],
    page: ["Pagina {i} van {n}"],
    continued: ["vervolg"],
  },
  en: {
    title: ["INVOICE", "Invoice"],
    number: ["Invoice number", "Invoice no."],
    date: ["Invoice date", "Date"],
    due: ["Due date"],
    term: ["Payment terms"],
    days: ["days"],
    customerNumber: ["Customer no.", "Account no."],
    customerReference: ["Your reference", "PO number"],
    customerVat: ["Your VAT number", "Customer VAT ID"],
    billTo: ["Bill to", "Invoice to"],
    description: ["Description"],
    quantity: ["Qty", "Quantity"],
    price: ["Unit price", "Rate"],
    rate: ["VAT"],
    amount: ["Amount"],
    net: ["Subtotal", "Total excl. VAT"],
    vat: ["VAT {r}%"],
    over: ["on"],
    exempt: ["VAT exempt"],
    vatTotal: ["Total VAT"],
    gross: ["Total", "Total incl. VAT"],
    amountDue: ["Amount due", "Balance due"],
    reference: ["Payment reference"],
    kvk: ["Chamber of Commerce", "CoC"],
    vatId: ["VAT number", "VAT ID"],
    tel: ["Tel.", "Phone"],
    email: ["Email", "E"],
    page: ["Page {i} of {n}"],
    continued: ["continued"],
  },
} satisfies Record<Language, Record<string, string[]>>;

export type Labels = { [K in keyof typeof LABELS.nl]: string };

export interface Style {
  lang: Language;
  family: Family;
  /** Body size, 8–11 pt; headings go up to +5, the title further. */
  size: number;
  labels: Labels;
  /** Totals; table cells use the same style without the currency. */
  amounts: AmountStyle;
  date: DateStyle;
  vatPrint: "compact" | "spaced" | "dotted";
  ibanGrouped: boolean;
  colon: string;
  accent: RGB;
  dueAs: "date" | "term";
  vatWithBase: boolean;
  zeroAsExempt: boolean;
  vatTotalLine: boolean;
  amountDueLine: boolean;
  rateColumn: boolean;
  pageNumbers: boolean;
  logo: boolean;
  /** Where a betalingskenmerk goes: the meta block, or the payment sentence. */
  referenceIn: "meta" | "note";
  /** Which payment sentence (an index, taken modulo the language's count). */
  note: number;
}

function pickLabels(rand: Rand, lang: Language): Labels {
  return Object.fromEntries(Object.entries(LABELS[lang]).map(([key, options]) => [key, pick(rand, options)])) as Labels;
}

const ACCENTS = [rgb(0.08, 0.08, 0.1), rgb(0.1, 0.2, 0.45), rgb(0.05, 0.35, 0.3), rgb(0.45, 0.1, 0.1), rgb(0.3, 0.3, 0.32)];

export function pickStyle(rand: Rand, lang: Language, family?: Family): Style {
  const nlDates: DateStyle[] = ["nlLong", "dashPadded", "dash", "dotted", "iso"];
  return {
    lang,
    family: family ?? pick(rand, ["Helvetica", "Helvetica", "Times", "Courier"]),
    size: Math.round(float(rand, 8, 11) * 2) / 2,
    labels: pickLabels(rand, lang),
    amounts:
      lang === "en"
        ? pick(rand, [AMOUNT_STYLES.enEuro, AMOUNT_STYLES.enPlain, AMOUNT_STYLES.nlEuro])
        : pick(rand, [AMOUNT_STYLES.nlEuro, AMOUNT_STYLES.nlPlain, AMOUNT_STYLES.nlCode]),
    date: lang === "en" ? pick(rand, ["enLong", "iso", "dashPadded"]) : pick(rand, nlDates),
    vatPrint: pick(rand, ["compact", "compact", "spaced", "dotted"]),
    ibanGrouped: chance(rand, 0.7),
    colon: chance(rand, 0.6) ? ":" : "",
    accent: pick(rand, ACCENTS),
    dueAs: chance(rand, 0.8) ? "date" : "term",
    vatWithBase: chance(rand, 0.4),
    zeroAsExempt: chance(rand, 0.5),
    vatTotalLine: chance(rand, 0.5),
    amountDueLine: chance(rand, 0.4),
    rateColumn: chance(rand, 0.6),
    pageNumbers: chance(rand, 0.3),
    logo: chance(rand, 0.4),
    referenceIn: chance(rand, 0.5) ? "meta" : "note",
    note: Math.floor(rand() * 1000),
  };
}

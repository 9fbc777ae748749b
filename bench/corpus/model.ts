// What a document says, before it is drawn: parties, lines and totals in integer cents. Amounts add up
// the way a bookkeeping package's would: VAT per rate on the rate's total, rounded half up.
import { dayNumber } from "./formats.js";
import { BANKS, makeBetalingskenmerk, makeIban, makeKvkNumber, makePostcode, makeVatNumber, type BankCode } from "./identifiers.js";
import { chance, digits, float, int, pick, type Rand } from "./random.js";
import { CITIES, CUSTOMER_NAMES, PEOPLE, SHOPS, STREETS, SURNAMES, TRADES, type ItemSpec, type Mix } from "./vocabulary.js";

export type FieldName =
  | "supplierName"
  | "supplierVatNumber"
  | "supplierKvkNumber"
  | "supplierIban"
  | "number"
  | "issueDate"
  | "dueDate"
  | "currency"
  | "netTotal"
  | "vat21"
  | "vat9"
  | "taxable0"
  | "vatTotal"
  | "grossTotal"
  | "paymentReference";

export type Truth = Partial<Record<FieldName, string>>;
export type VatRate = 21 | 9 | 0;
export type Language = "nl" | "en";

export interface Party {
  name: string;
  street: string;
  postcode: string;
  city: string;
  phone: string;
  email: string;
  vatNumber: string | null;
  kvkNumber: string | null;
  iban: string | null;
  bic: string | null;
  /** Customer only: "t.a.v." line. */
  attention: string | null;
}

export interface Line {
  description: string;
  /** In hundredths, so "2,5 uur" is 250. */
  quantity: number;
  unit: string;
  unitPrice: number;
  amount: number;
  rate: VatRate;
}

export interface VatGroup {
  rate: VatRate;
  taxable: number;
  vat: number;
}

export interface DocumentModel {
  kind: "INVOICE" | "RECEIPT";
  lang: Language;
  supplier: Party;
  customer: Party | null;
  number: string;
  issueDate: number;
  dueDate: number;
  termDays: number;
  /** Receipt only: "14:32". */
  time: string | null;
  /** Invoice lines exclude VAT; receipt lines include it, as tills price them. */
  lines: Line[];
  groups: VatGroup[];
  net: number;
  vatTotal: number;
  gross: number;
  paymentReference: string | null;
  customerNumber: string | null;
  customerReference: string | null;
}

/** round(taxable × rate / 100), half up, in cents (amounts are never negative here). */
const vatOn = (taxable: number, rate: VatRate): number => Math.floor((taxable * rate + 50) / 100);

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function makeSupplier(rand: Rand, name: string, withIban: boolean): Party {
  const bank = pick(rand, Object.keys(BANKS) as BankCode[]);
  const city = pick(rand, CITIES);
  const domain = name
    .toLowerCase()
    .replace(/\b(b\.?v\.?|v\.o\.f\.|& zn\.)/g, "")
    .replace(/[^a-z]+/g, "");
  return {
    name,
    street: `${pick(rand, STREETS)} ${int(rand, 1, 220)}${chance(rand, 0.2) ? pick(rand, ["a", "b", "-3"]) : ""}`,
    postcode: makePostcode(rand),
    city: city.name,
    phone: `${city.area}-${digits(rand, 10 - city.area.length)}`,
    email: `${pick(rand, ["info", "administratie", "facturen", "contact"])}@${domain}.nl`,
    vatNumber: makeVatNumber(rand),
    kvkNumber: makeKvkNumber(rand),
    iban: withIban ? makeIban(bank, rand) : null,
    bic: withIban ? BANKS[bank] : null,
    attention: null,
  };
}

/** The firm's client: an address, sometimes its own (different) btw-nummer, never a KvK or IBAN to confuse with the supplier's. */
function makeCustomer(rand: Rand, supplierName: string, lang: Language): Party {
  const person = chance(rand, 0.25);
  let name = person ? pick(rand, PEOPLE) : pick(rand, CUSTOMER_NAMES);
  if (name === supplierName) name = pick(rand, PEOPLE);
  const departments = lang === "nl" ? ["de crediteurenadministratie", "de administratie"] : ["Accounts Payable", "Finance"];
  return {
    name,
    street: `${pick(rand, STREETS)} ${int(rand, 1, 140)}`,
    postcode: makePostcode(rand),
    city: pick(rand, CITIES).name,
    phone: "",
    email: "",
    vatNumber: !person && chance(rand, 0.3) ? makeVatNumber(rand) : null,
    kvkNumber: null,
    iban: null,
    bic: null,
    attention: person || chance(rand, 0.5) ? null : `${lang === "nl" ? "t.a.v." : "Attn."} ${pick(rand, [...departments, pick(rand, PEOPLE)])}`,
  };
}

/** A trade's name pattern with a surname that does not repeat its trade word ("Bakkerij Bakker"). */
function firmName(rand: Rand, patterns: string[], legalForm: boolean): string {
  const pattern = pick(rand, patterns);
  const surname = pick(
    rand,
    SURNAMES.filter((name) => !pattern.toLowerCase().includes(name.toLowerCase())),
  );
  return pattern.replace("{s}", surname) + (legalForm ? pick(rand, ["", "", " B.V.", " BV", " V.O.F.", " & Zn."]) : "");
}

/** Prices as firms set them: whole hourly rates, round amounts on invoices, x,x9 and x,x5 at the till. */
function unitPrice(rand: Rand, item: ItemSpec, till: boolean): number {
  const euros = float(rand, item.price[0], item.price[1]);
  if (item.unit === "uur") return Math.round(euros) * 100;
  if (till) return chance(rand, 0.6) ? Math.max(9, Math.round(euros * 10) * 10 - 1) : Math.round(euros * 20) * 5;
  const step = euros < 100 ? 5 : euros < 1000 ? 50 : 100;
  return Math.round((euros * 100) / step) * step;
}

interface LineChoice {
  rand: Rand;
  items: ItemSpec[];
  rates: VatRate[];
  lang: Language;
  till: boolean;
}

/** `count` items covering each rate at least once, not repeating one while fresh ones remain. */
function chooseItems(rand: Rand, items: ItemSpec[], rates: VatRate[], count: number): ItemSpec[] {
  const order = [...rates];
  while (order.length < count) order.push(pick(rand, rates));
  const chosen: ItemSpec[] = [];
  for (const rate of order) {
    const options = items.filter((item) => item.rate === rate);
    const fresh = options.filter((item) => !chosen.includes(item));
    chosen.push(pick(rand, fresh.length ? fresh : options));
  }
  return chosen;
}

/** Lines for the chosen items; an item on several lines keeps its price and says which week each line was for. */
function makeLines({ rand, items, rates, lang, till }: LineChoice, count: number): Line[] {
  const chosen = chooseItems(rand, items, rates, count);
  const prices = new Map<ItemSpec, number>();
  let week = int(rand, 2, 40);
  return chosen.map((item) => {
    if (!prices.has(item)) prices.set(item, unitPrice(rand, item, till));
    const hourly = item.unit === "uur";
    const quantity = hourly ? int(rand, 1, 32) * 50 : int(rand, item.qty[0], item.qty[1]) * 100;
    const price = prices.get(item) ?? 0;
    const description = lang === "en" ? item.en : item.nl;
    const repeated = chosen.filter((other) => other === item).length > 1;
    return {
      description: repeated ? `${description} (week ${(week++ % 52) + 1})` : description,
      quantity,
      unit: lang === "en" ? (hourly ? "hrs" : "pcs") : item.unit,
      unitPrice: price,
      amount: Math.floor((quantity * price + 50) / 100),
      rate: item.rate,
    };
  });
}

const RATES_OF: Record<Mix, VatRate[]> = { "21": [21], "9": [9], "21+9": [21, 9], "21+0": [21, 0] };

function groupsFor(lines: Line[]): VatGroup[] {
  const rates = ([21, 9, 0] as const).filter((rate) => lines.some((line) => line.rate === rate));
  return rates.map((rate) => {
    const taxable = sum(lines.filter((line) => line.rate === rate).map((line) => line.amount));
    return { rate, taxable, vat: vatOn(taxable, rate) };
  });
}

function invoiceNumber(rand: Rand, year: number): string {
  const seq = int(rand, 1, 1400);
  return pick(rand, [
    `${year}-${String(seq).padStart(4, "0")}`,
    `F${String(year).slice(2)}${String(seq).padStart(4, "0")}`,
    `INV-${year}-${String(seq).padStart(3, "0")}`,
    `${year}${String(seq).padStart(4, "0")}`,
    String(10000 + seq * 7),
  ]);
}

export interface InvoiceOptions {
  mix: Mix;
  lang: Language;
  lineCount?: number;
}

export function makeInvoice(rand: Rand, options: InvoiceOptions): DocumentModel {
  const trade = pick(
    rand,
    TRADES.filter((t) => t.mixes.includes(options.mix)),
  );
  const supplier = makeSupplier(rand, firmName(rand, trade.names, true), true);
  const choice = { rand, items: trade.items, rates: RATES_OF[options.mix], lang: options.lang, till: false };
  const lines = makeLines(choice, options.lineCount ?? int(rand, 1, 6));
  const groups = groupsFor(lines);
  const net = sum(lines.map((line) => line.amount));
  const vatTotal = sum(groups.map((group) => group.vat));
  const issueDate = dayNumber(2026, 1, 1) + int(rand, 0, 360);
  const termDays = pick(rand, [8, 14, 14, 30, 30, 21]);
  return {
    kind: "INVOICE",
    lang: options.lang,
    supplier,
    customer: makeCustomer(rand, supplier.name, options.lang),
    number: invoiceNumber(rand, 2026),
    issueDate,
    dueDate: issueDate + termDays,
    termDays,
    time: null,
    lines,
    groups,
    net,
    vatTotal,
    gross: net + vatTotal,
    paymentReference: chance(rand, 0.5) ? makeBetalingskenmerk(rand) : null,
    customerNumber: chance(rand, 0.6) ? digits(rand, int(rand, 4, 6)) : null,
    customerReference: chance(rand, 0.3) ? `PO-${digits(rand, 5)}` : null,
  };
}

/**
 * Till prices include VAT, so per rate the lines' sum is the gross and the taxable part is solved for:
 * the T with T + vatOn(T) equal to it. Not every gross has one (vatOn jumps by 2 cents now and then),
 * so the last line of the rate moves a cent until one exists.
 */
function receiptGroup(lines: Line[], rate: VatRate): VatGroup {
  const mine = lines.filter((line) => line.rate === rate);
  for (;;) {
    const gross = sum(mine.map((line) => line.amount));
    const guess = Math.round((gross * 100) / (100 + rate));
    const taxable = [guess, guess - 1, guess + 1, guess - 2, guess + 2].find((t) => t + vatOn(t, rate) === gross);
    if (taxable !== undefined) return { rate, taxable, vat: gross - taxable };
    const last = mine[mine.length - 1];
    last.unitPrice += 1;
    last.amount = Math.floor((last.quantity * last.unitPrice + 50) / 100);
  }
}

export function makeReceipt(rand: Rand): DocumentModel {
  const shop = pick(rand, SHOPS);
  const supplier = makeSupplier(rand, firmName(rand, shop.names, false), false);
  const rates = pick(rand, shop.mixes).split("+").map(Number) as VatRate[];
  const items = shop.items.filter((item) => rates.includes(item.rate));
  // Distinct items only: a till rings a second one up as a quantity, and the cent nudge below must not split one item's price.
  const lines = makeLines({ rand, items, rates, lang: "nl", till: true }, int(rand, 2, Math.min(12, items.length)));
  const groups = ([21, 9] as const).filter((rate) => rates.includes(rate)).map((rate) => receiptGroup(lines, rate));
  const issueDate = dayNumber(2026, 1, 1) + int(rand, 0, 360);
  return {
    kind: "RECEIPT",
    lang: "nl",
    supplier,
    customer: null,
    number: String(int(rand, 1000, 99999)),
    issueDate,
    dueDate: issueDate,
    termDays: 0,
    time: `${String(int(rand, 8, 21)).padStart(2, "0")}:${String(int(rand, 0, 59)).padStart(2, "0")}`,
    lines,
    groups,
    net: sum(groups.map((group) => group.taxable)),
    vatTotal: sum(groups.map((group) => group.vat)),
    gross: sum(lines.map((line) => line.amount)),
    paymentReference: null,
    customerNumber: null,
    customerReference: null,
  };
}

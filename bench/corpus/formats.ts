// How amounts and dates are printed (Dutch and English habits), and the reverse: every amount and
// date found in extracted text, in the corpus's canonical form, for checking the truth against it.

export interface AmountStyle {
  decimal: "," | ".";
  /** Thousands separator, or "" for none. */
  group: "." | "," | "";
  /** Currency in front: "€ ", "€", "EUR " or "". */
  prefix: string;
}

export const AMOUNT_STYLES = {
  nlEuro: { decimal: ",", group: ".", prefix: "€ " },
  nlPlain: { decimal: ",", group: ".", prefix: "" },
  nlCode: { decimal: ",", group: "", prefix: "EUR " },
  enEuro: { decimal: ".", group: ",", prefix: "€" },
  enPlain: { decimal: ".", group: ",", prefix: "" },
} satisfies Record<string, AmountStyle>;

/** Canonical: "1234.56" (amounts here are never negative). */
export const canonicalAmount = (cents: number): string => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;

export function formatAmount(cents: number, style: AmountStyle, withPrefix = true): string {
  const [whole, fraction] = canonicalAmount(cents).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, style.group);
  return `${withPrefix ? style.prefix : ""}${grouped}${style.decimal}${fraction}`;
}

export type DateStyle = "nlLong" | "enLong" | "dashPadded" | "dash" | "dotted" | "iso";

const MONTHS = {
  nl: ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
  en: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
};

/** Dates are days since the epoch (UTC), so adding a payment term is plain arithmetic. */
export const dayNumber = (year: number, month: number, day: number): number => Date.UTC(year, month - 1, day) / 86_400_000;

function parts(days: number) {
  const date = new Date(days * 86_400_000);
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
}

const pad = (n: number) => String(n).padStart(2, "0");

export function canonicalDate(days: number): string {
  const { y, m, d } = parts(days);
  return `${y}-${pad(m)}-${pad(d)}`;
}

export function formatDate(days: number, style: DateStyle): string {
  const { y, m, d } = parts(days);
  switch (style) {
    case "nlLong":
      return `${d} ${MONTHS.nl[m - 1]} ${y}`;
    case "enLong":
      return `${d} ${MONTHS.en[m - 1]} ${y}`;
    case "dashPadded":
      return `${pad(d)}-${pad(m)}-${y}`;
    case "dash":
      return `${d}-${m}-${y}`;
    case "dotted":
      return `${pad(d)}.${pad(m)}.${y}`;
    case "iso":
      return canonicalDate(days);
  }
}

/** Every token that reads as an amount (last separator followed by exactly two digits), canonicalised. */
export function amountsIn(text: string): Set<string> {
  const found = new Set<string>();
  for (const [token] of text.matchAll(/\d[\d.,]*\d/g)) {
    const match = /^(.*)[.,](\d{2})$/.exec(token);
    if (match) found.add(`${Number(match[1].replace(/[.,]/g, ""))}.${match[2]}`);
  }
  return found;
}

/** Every date in any of the printed styles, canonicalised ("14 mei" may end a line with its year on the next). */
export function datesIn(text: string): Set<string> {
  const found = new Set<string>();
  const add = (y: string, m: number, d: string) => found.add(`${y}-${pad(m)}-${pad(Number(d))}`);
  for (const [, d, m, y] of text.matchAll(/\b(\d{1,2})[-.](\d{1,2})[-.](\d{4})\b/g)) add(y, Number(m), d);
  for (const [, y, m, d] of text.matchAll(/\b(\d{4})-(\d{2})-(\d{2})\b/g)) add(y, Number(m), d);
  const names = [...MONTHS.nl, ...MONTHS.en].map((n) => n.toLowerCase());
  for (const [, d, name, y] of text.matchAll(new RegExp(`\\b(\\d{1,2})\\s+(${names.join("|")})\\s+(\\d{4})\\b`, "gi"))) {
    add(y, (names.indexOf(name.toLowerCase()) % 12) + 1, d);
  }
  return found;
}

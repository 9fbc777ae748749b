// The Dutch VAT return (aangifte omzetbelasting): the boxes the accountant enters, the totals that
// are computed from them (never entered), and the checks the form implies. Whole euros throughout.
import { throwIfAny, UserError, UserErrorCode } from "../../core/errors.js";

/** Boxes with a turnover and the VAT on it. */
export const TURNOVER_AND_VAT_BOXES = ["1a", "1b", "1c", "1d", "2a", "4a", "4b"] as const;
/** Boxes with a turnover only. */
export const TURNOVER_BOXES = ["1e", "3a", "3b", "3c"] as const;
/**
 * Entered in section 5: input VAT only. The 2026 return (and its XBRL entry point) has no boxes for
 * the small-business reduction (5d, gone since 2025) or estimates (5e/5f): docs/DIGIPOORT.md.
 */
export const ENTERED_TOTALS = ["5b"] as const;

type PairBox = (typeof TURNOVER_AND_VAT_BOXES)[number];
type TurnoverBox = (typeof TURNOVER_BOXES)[number];
type EnteredTotal = (typeof ENTERED_TOTALS)[number];

/** What the accountant enters; every amount defaults to 0. */
export interface VatReturnEntries {
  pairs: Record<PairBox, { turnover: number; vat: number }>;
  turnover: Record<TurnoverBox, number>;
  totals: Record<EnteredTotal, number>;
}

export interface VatReturnTotals {
  /** 5a: VAT due, the sum of the VAT of 1a–4b. */
  "5a": number;
  /** 5c: subtotal, 5a − 5b. */
  "5c": number;
  /** 5g: to pay (positive) or to reclaim (negative); equals 5c on the current form. */
  "5g": number;
}

export interface FilingWarning {
  code: "VAT_RATE_MISMATCH" | "ICP_MISMATCH";
  message: string;
  field: string[];
}

/** Rates of the boxes whose VAT follows from the turnover. */
const RATES: Partial<Record<PairBox, number>> = { "1a": 0.21, "1b": 0.09 };

/**
 * Amounts the form never has below zero: supplies abroad. Turnover and VAT of 1a–4b may be
 * negative (credit notes exceeding sales in the period), and so may input VAT after corrections.
 */
const NON_NEGATIVE: ReadonlySet<string> = new Set(["3a", "3b", "3c"]);

/** Whole euros, within the range the form can hold (13 digits). */
const MAX_AMOUNT = 9_999_999_999_999;

export function emptyEntries(): VatReturnEntries {
  return {
    pairs: Object.fromEntries(TURNOVER_AND_VAT_BOXES.map((b) => [b, { turnover: 0, vat: 0 }])) as VatReturnEntries["pairs"],
    turnover: Object.fromEntries(TURNOVER_BOXES.map((b) => [b, 0])) as VatReturnEntries["turnover"],
    totals: Object.fromEntries(ENTERED_TOTALS.map((b) => [b, 0])) as VatReturnEntries["totals"],
  };
}

/** Input shape (GraphQL-neutral): `box1a: { turnover, vat }`, `box1e: 123`, `box5b: 45`, all optional. */
export type VatReturnInput = Partial<Record<`box${PairBox}`, { turnover?: number | null; vat?: number | null } | null>> &
  Partial<Record<`box${TurnoverBox | EnteredTotal}`, number | null>>;

/** The entries from input, refusing amounts that are not whole euros or negative where the form has none. */
export function readEntries(input: VatReturnInput, base: VatReturnEntries = emptyEntries()): VatReturnEntries {
  const entries = structuredClone(base);
  const problems: UserError[] = [];
  const amount = (value: number | null | undefined, box: string, path: string[], current: number): number => {
    if (value === undefined || value === null) return current;
    if (!Number.isInteger(value) || Math.abs(value) > MAX_AMOUNT) {
      problems.push(new UserError(UserErrorCode.INVALID, { en: `Box ${box}: amounts are whole euros`, nl: `Rubriek ${box}: bedragen zijn in hele euro's` }, path));
    } else if (value < 0 && NON_NEGATIVE.has(box)) {
      problems.push(new UserError(UserErrorCode.INVALID, { en: `Box ${box} cannot be negative`, nl: `Rubriek ${box} mag niet negatief zijn` }, path));
    }
    return value;
  };
  for (const box of TURNOVER_AND_VAT_BOXES) {
    const given = input[`box${box}`];
    if (!given) continue;
    const path = ["boxes", `box${box}`];
    entries.pairs[box] = {
      turnover: amount(given.turnover, box, [...path, "turnover"], entries.pairs[box].turnover),
      vat: amount(given.vat, box, [...path, "vat"], entries.pairs[box].vat),
    };
  }
  for (const box of TURNOVER_BOXES) entries.turnover[box] = amount(input[`box${box}`], box, ["boxes", `box${box}`], entries.turnover[box]);
  for (const box of ENTERED_TOTALS) entries.totals[box] = amount(input[`box${box}`], box, ["boxes", `box${box}`], entries.totals[box]);
  throwIfAny(problems);
  return entries;
}

export function computeTotals(entries: VatReturnEntries): VatReturnTotals {
  const due = TURNOVER_AND_VAT_BOXES.reduce((sum, box) => sum + entries.pairs[box].vat, 0);
  const subtotal = due - entries.totals["5b"];
  return { "5a": due, "5c": subtotal, "5g": subtotal };
}

/**
 * What deserves a second look but may be right: VAT of 1a/1b off the rate beyond rounding (each
 * amount is rounded to whole euros, so up to €1 apart is rounding), and 3b differing from the ICP
 * declaration of the same period.
 */
export function vatReturnWarnings(entries: VatReturnEntries, icpTotal: number | null): FilingWarning[] {
  const warnings: FilingWarning[] = [];
  for (const [box, rate] of Object.entries(RATES) as Array<[PairBox, number]>) {
    const { turnover, vat } = entries.pairs[box];
    const expected = turnover * rate;
    if (Math.abs(vat - expected) > 1) {
      warnings.push({
        code: "VAT_RATE_MISMATCH",
        message: `Box ${box}: VAT €${vat} is not ${Math.round(rate * 100)}% of €${turnover} (≈ €${Math.round(expected)})`,
        field: ["boxes", `box${box}`, "vat"],
      });
    }
  }
  if (icpTotal !== null && icpTotal !== entries.turnover["3b"]) {
    warnings.push({
      code: "ICP_MISMATCH",
      message: `Box 3b (€${entries.turnover["3b"]}) differs from the ICP declaration of this period (€${icpTotal})`,
      field: ["boxes", "box3b"],
    });
  }
  return warnings;
}

/** What each box holds, as the form (2026) names it: for descriptions and the portal. */
export const BOX_LABELS: Record<PairBox | TurnoverBox | EnteredTotal | keyof VatReturnTotals, string> = {
  "1a": "1a: supplies and services taxed at the standard rate (21%) (leveringen/diensten belast met hoog tarief)",
  "1b": "1b: supplies and services taxed at the reduced rate (9%) (leveringen/diensten belast met laag tarief)",
  "1c": "1c: supplies and services taxed at other rates, except 0% (leveringen/diensten belast met overige tarieven)",
  "1d": "1d: private use (privégebruik)",
  "1e": "1e: supplies and services taxed at 0% or not taxed here (leveringen/diensten belast met 0% of niet bij u belast)",
  "2a": "2a: supplies and services where the VAT is reverse-charged to you (verleggingsregelingen binnenland)",
  "3a": "3a: supplies to countries outside the EU (leveringen naar landen buiten de EU)",
  "3b": "3b: supplies and services to EU countries (leveringen naar of diensten in landen binnen de EU); equals the ICP declaration's total",
  "3c": "3c: installation or distance sales within the EU (installatie/afstandsverkopen binnen de EU)",
  "4a": "4a: supplies and services from countries outside the EU (leveringen/diensten uit landen buiten de EU)",
  "4b": "4b: supplies and services from EU countries (leveringen/diensten uit landen binnen de EU)",
  "5a": "5a: VAT due, the VAT of 1a to 4b (verschuldigde omzetbelasting); computed",
  "5b": "5b: input VAT (voorbelasting)",
  "5c": "5c: subtotal, 5a minus 5b; computed",
  "5g": "5g: total to pay (positive) or to reclaim (negative), equal to 5c on the current form; computed",
};

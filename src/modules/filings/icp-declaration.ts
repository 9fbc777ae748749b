// The ICP declaration (opgaaf intracommunautaire prestaties): per customer in another EU member
// state, the goods, services and triangular (ABC) supplies of the period, in whole euros.
import { throwIfAny, UserError, UserErrorCode } from "../../core/errors.js";
import type { Localized } from "../../core/language.js";
import { validEuVatNumber } from "../../core/tax-numbers.js";

/**
 * The member states an intra-Community supply can go to, by their VAT prefix (Greece is EL; XI is
 * Northern Ireland, which counts for goods only). Not NL: a Dutch customer is not an intra-Community
 * supply. Numbers are checked with their check digits (core/tax-numbers.ts, jsvat).
 */
export const ICP_COUNTRIES = [
  "AT",
  "BE",
  "BG",
  "CY",
  "CZ",
  "DE",
  "DK",
  "EE",
  "EL",
  "ES",
  "FI",
  "FR",
  "HR",
  "HU",
  "IE",
  "IT",
  "LT",
  "LU",
  "LV",
  "MT",
  "PL",
  "PT",
  "RO",
  "SE",
  "SI",
  "SK",
  "XI",
];

export interface IcpLine {
  countryCode: string;
  /** With its country prefix, normalised: "DE136695976". */
  vatNumber: string;
  goods: number;
  services: number;
  triangular: number;
}

export interface IcpLineInput {
  countryCode: string;
  vatNumber: string;
  goods?: number | null;
  services?: number | null;
  triangular?: number | null;
}

export const MAX_ICP_LINES = 2000;
const MAX_AMOUNT = 9_999_999_999_999;

/** The lines from input, each checked; all problems are reported together, with the line's path. */
export function readLines(input: IcpLineInput[]): IcpLine[] {
  if (input.length === 0)
    throw new UserError(
      UserErrorCode.INVALID,
      {
        en: "List at least one customer (without intra-Community supplies there is nothing to declare)",
        nl: "Vermeld ten minste één klant (zonder intracommunautaire leveringen valt er niets op te geven)",
      },
      ["lines"],
    );
  if (input.length > MAX_ICP_LINES) throw new UserError(UserErrorCode.INVALID, { en: `At most ${MAX_ICP_LINES} lines`, nl: `Maximaal ${MAX_ICP_LINES} regels` }, ["lines"]);
  const problems: UserError[] = [];
  const seen = new Map<string, number>();
  const lines = input.map((line, index): IcpLine => {
    const path = ["lines", String(index)];
    const country = line.countryCode.trim().toUpperCase();
    const known = ICP_COUNTRIES.includes(country);
    if (!known) {
      const why: Localized =
        country === "NL"
          ? { en: "a Dutch customer is not an intra-Community supply", nl: "een levering aan een Nederlandse klant is geen intracommunautaire levering" }
          : { en: "not an EU member state code (Greece is EL, Northern Ireland XI)", nl: "geen landcode van een EU-lidstaat (Griekenland is EL, Noord-Ierland XI)" };
      problems.push(
        new UserError(UserErrorCode.INVALID, { en: `Line ${index + 1}: "${line.countryCode}": ${why.en}`, nl: `Regel ${index + 1}: "${line.countryCode}": ${why.nl}` }, [
          ...path,
          "countryCode",
        ]),
      );
    }
    let number = line.vatNumber.toUpperCase().replace(/[\s.-]/g, "");
    if (number.startsWith(country)) number = number.slice(country.length);
    if (known && !validEuVatNumber(`${country}${number}`)) {
      problems.push(
        new UserError(
          UserErrorCode.INVALID,
          {
            en: `Line ${index + 1}: "${line.vatNumber}" is not a valid ${country} VAT number (format or check digits)`,
            nl: `Regel ${index + 1}: "${line.vatNumber}" is geen geldig btw-nummer voor ${country} (opmaak of controlegetal)`,
          },
          [...path, "vatNumber"],
        ),
      );
    }
    /** `what` names the amount in a sentence: { en: "goods", nl: "het bedrag voor goederen" }. */
    const amount = (value: number | null | undefined, field: string, what: Localized) => {
      const v = value ?? 0;
      if (!Number.isInteger(v) || v < 0 || v > MAX_AMOUNT)
        problems.push(
          new UserError(
            UserErrorCode.INVALID,
            { en: `Line ${index + 1}: ${what.en} must be whole euros, not negative`, nl: `Regel ${index + 1}: ${what.nl} moet in hele euro's zijn en mag niet negatief zijn` },
            [...path, field],
          ),
        );
      return v;
    };
    const result = {
      countryCode: country,
      vatNumber: `${country}${number}`,
      goods: amount(line.goods, "goods", { en: "goods", nl: "het bedrag voor goederen" }),
      services: amount(line.services, "services", { en: "services", nl: "het bedrag voor diensten" }),
      triangular: amount(line.triangular, "triangular", { en: "triangular", nl: "het bedrag voor ABC-leveringen" }),
    };
    if (country === "XI" && result.services !== 0)
      problems.push(
        new UserError(
          UserErrorCode.INVALID,
          { en: `Line ${index + 1}: Northern Ireland (XI) counts for goods only`, nl: `Regel ${index + 1}: Noord-Ierland (XI) telt alleen voor goederen` },
          [...path, "services"],
        ),
      );
    if (result.goods === 0 && result.services === 0 && result.triangular === 0)
      problems.push(new UserError(UserErrorCode.INVALID, { en: `Line ${index + 1}: give at least one amount`, nl: `Regel ${index + 1}: vul ten minste één bedrag in` }, path));
    const earlier = seen.get(result.vatNumber);
    if (earlier !== undefined) {
      problems.push(
        new UserError(
          UserErrorCode.ALREADY_EXISTS,
          {
            en: `Line ${index + 1}: ${result.vatNumber} is already on line ${earlier + 1}; one line per customer`,
            nl: `Regel ${index + 1}: ${result.vatNumber} staat al op regel ${earlier + 1}; één regel per klant`,
          },
          [...path, "vatNumber"],
        ),
      );
    } else seen.set(result.vatNumber, index);
    return result;
  });
  throwIfAny(problems);
  return lines;
}

/** What box 3b of the VAT return of the same period should hold: all supplies to EU customers. */
export function icpTotal(lines: IcpLine[]): number {
  return lines.reduce((sum, line) => sum + line.goods + line.services + line.triangular, 0);
}

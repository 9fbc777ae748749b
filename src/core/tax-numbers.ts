// Dutch and EU tax numbers, checked by their check digits. Two Dutch numbers that are easy to mix up:
// - the btw-id (VAT identification number, on invoices): NL + 9 digits + B + 2 digits. Older ones are
//   the omzetbelastingnummer with NL before it (elfproef on the 9 digits); those issued to sole traders
//   since 2020 are random and checked by mod 97 over the whole number.
// - the omzetbelastingnummer (what VAT returns are filed under): 9 digits + B + 2 digits, the 9 digits
//   being the RSIN or, for a sole trader, the BSN — both pass the elfproef.
// EU VAT numbers of other member states are checked with jsvat (format and check digits per country).
import { checkVAT, countries, unitedKingdom } from "jsvat";

/** The elfproef on nine digits (BSN/RSIN rule: weights 9…2 and −1). */
function elfproef(digits: string): boolean {
  const sum = [...digits].reduce((total, d, i) => total + Number(d) * (i < 8 ? 9 - i : -1), 0);
  return sum % 11 === 0;
}

export function compactTaxNumber(value: string): string {
  return value.replace(/[\s.-]/g, "").toUpperCase();
}

/** A Dutch btw-id, compact: valid by the elfproef (older numbers) or by mod 97 (sole traders since 2020). */
export function validDutchVat(vat: string): boolean {
  const m = /^NL(\d{9})B(\d{2})$/.exec(vat);
  if (!m) return false;
  if (elfproef(m[1]!)) return true;
  const numeric = `2321${m[1]}11${m[2]}`; // N=23, L=21, B=11
  let rest = 0;
  for (const digit of numeric) rest = (rest * 10 + Number(digit)) % 97;
  return rest === 1;
}

/** An omzetbelastingnummer, compact: nine digits passing the elfproef, B, two digits. */
export function validOmzetbelastingnummer(value: string): boolean {
  const m = /^(\d{9})B\d{2}$/.exec(value);
  return m !== null && elfproef(m[1]!);
}

/**
 * Another EU member state's VAT number (compact, with its prefix: Greece EL, Northern Ireland XI),
 * by jsvat's per-country rules. Northern Ireland's numbers follow the United Kingdom's.
 */
export function validEuVatNumber(vat: string): boolean {
  if (vat.startsWith("NL")) return false;
  if (vat.startsWith("XI")) return checkVAT(`GB${vat.slice(2)}`, [unitedKingdom]).isValid;
  return checkVAT(vat, countries).isValid;
}

// Euro amounts with cents, exact: parsed from and printed as decimal strings, added as whole cents
// in BigInt. Floating point never touches them.

const DECIMAL = /^(-?)(\d{1,13})(?:\.(\d{1,2}))?$/;

/** Cents of "1234.5" / "-0.07" / "12", or null when it is not such an amount. */
export function parseCents(text: string): bigint | null {
  const match = DECIMAL.exec(text.trim());
  if (!match) return null;
  const cents = BigInt(match[2]!) * 100n + BigInt((match[3] ?? "0").padEnd(2, "0"));
  return match[1] ? -cents : cents;
}

/** "1234.50" for 123450n; "-0.07" for -7n. */
export function formatCents(cents: bigint): string {
  const sign = cents < 0n ? "-" : "";
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}

// The Nederlandse Taxonomie releases the Belastingdienst accepts, as data: when each is in use (by
// the day a message is sent, Dutch time) and which entry point it has per kind of message and per
// tax year of the period. Adding a release is an entry here plus its fixtures; concept names stay in
// nt-taxonomy.ts. A filing no release covers is refused with a clear error, never sent with a guess.
import type { MessageKind } from "./gateway.js";

export interface NtRelease {
  /** e.g. "NT20 / bd 20251210". */
  name: string;
  /** The Belastingdienst part of the taxonomy, e.g. http://www.nltaxonomie.nl/nt20/bd/20251210 */
  base: string;
  /** First day messages are sent with it (YYYY-MM-DD, Dutch date). */
  usedFrom: string;
  /** First day it is no longer used (the next release takes over); null while current. */
  usedUntil: string | null;
  /** Entry point file names under `${base}/entrypoints/`, per message kind and tax year of the period. */
  entryPoints: Readonly<Partial<Record<MessageKind, Readonly<Record<number, string>>>>>;
  /** Whether the entry point names were confirmed from a source (see docs/DIGIPOORT.md). */
  verified: boolean;
}

export const NT_RELEASES: readonly NtRelease[] = [
  {
    name: "NT20 / bd 20251210",
    base: "http://www.nltaxonomie.nl/nt20/bd/20251210",
    usedFrom: "2025-12-10",
    usedUntil: "2026-12-09",
    entryPoints: {
      VAT_RETURN: { 2026: "bd-rpt-ob-aangifte-2026.xsd" },
      VAT_CORRECTION: { 2026: "bd-rpt-ob-suppletie-2026.xsd" },
      ICP_DECLARATION: { 2026: "bd-rpt-icp-opgaaf-2026.xsd" },
    },
    verified: true,
  },
  {
    // Live from 9 December 2026. Its entry point names follow NT20's pattern; NOT confirmed here.
    name: "NT21 / bd 20261209",
    base: "http://www.nltaxonomie.nl/nt21/bd/20261209",
    usedFrom: "2026-12-09",
    usedUntil: null,
    entryPoints: {
      VAT_RETURN: { 2026: "bd-rpt-ob-aangifte-2026.xsd", 2027: "bd-rpt-ob-aangifte-2027.xsd" },
      VAT_CORRECTION: { 2026: "bd-rpt-ob-suppletie-2026.xsd", 2027: "bd-rpt-ob-suppletie-2027.xsd" },
      ICP_DECLARATION: { 2026: "bd-rpt-icp-opgaaf-2026.xsd", 2027: "bd-rpt-icp-opgaaf-2027.xsd" },
    },
    verified: false,
  },
];

/** The release and entry point a message is written with. */
export interface Taxonomy {
  release: NtRelease;
  entryPoint: string;
}

const KIND_NAMES: Readonly<Record<MessageKind, string>> = {
  VAT_RETURN: "VAT return",
  VAT_CORRECTION: "VAT correction (suppletie)",
  ICP_DECLARATION: "ICP declaration",
};

export class NoTaxonomyError extends Error {
  override name = "NoTaxonomyError";
}

/** The Dutch calendar day of an instant, YYYY-MM-DD. */
export function dutchDate(at: Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam", year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

/**
 * The taxonomy for a message of `kind` about a period in `periodYear`, sent at `sentAt`: the release
 * in use that day, and its entry point for that tax year. Throws NoTaxonomyError saying what is missing.
 */
export function taxonomyFor(kind: MessageKind, periodYear: number, sentAt: Date, releases: readonly NtRelease[] = NT_RELEASES): Taxonomy {
  const day = dutchDate(sentAt);
  const inUse = releases.filter((release) => release.usedFrom <= day && (release.usedUntil === null || day < release.usedUntil));
  if (inUse.length === 0) throw new NoTaxonomyError(`No taxonomy release is known for messages sent on ${day}`);
  const release = inUse.reduce((latest, candidate) => (candidate.usedFrom > latest.usedFrom ? candidate : latest));
  const file = release.entryPoints[kind]?.[periodYear];
  if (!file) {
    const years = Object.keys(release.entryPoints[kind] ?? {}).join(", ") || "none";
    throw new NoTaxonomyError(`${release.name}, in use on ${day}, has no ${KIND_NAMES[kind]} for periods in ${periodYear} (it has: ${years})`);
  }
  return { release, entryPoint: `${release.base}/entrypoints/${file}` };
}

/** The release and kind an entry point URL belongs to, or null (what the simulator checks a message against). */
export function taxonomyOfEntryPoint(url: string, releases: readonly NtRelease[] = NT_RELEASES): { release: NtRelease; kind: MessageKind; periodYear: number } | null {
  for (const release of releases) {
    for (const [kind, files] of Object.entries(release.entryPoints) as Array<[MessageKind, Record<number, string>]>) {
      for (const [year, file] of Object.entries(files)) {
        if (`${release.base}/entrypoints/${file}` === url) return { release, kind, periodYear: Number(year) };
      }
    }
  }
  return null;
}

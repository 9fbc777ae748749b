// XBRL instances for the Belastingdienst: the VAT return (aangifte omzetbelasting) and the ICP
// declaration (opgaaf intracommunautaire prestaties). Concept names live in nt-taxonomy.ts.
// Output is deterministic: the same input gives the same bytes (nothing reads the clock).
import crypto from "node:crypto";
import { HEADER_CONCEPTS, ICP_CONCEPTS, MESSAGE_REFERENCE_MAX_LENGTH, namespacesOf, OB_NUMBER_SCHEME, VAT_BOX_CONCEPTS, type VatBoxWithConcept } from "./nt-taxonomy.js";
import type { Taxonomy } from "./nt-releases.js";
import type { MessageKind } from "./gateway.js";
import { escapeXml, xmlComment } from "./xml-escape.js";

export interface VatReturnFacts {
  /** Whole euros. Keys: the 1a…4b turnover/VAT boxes and the totals 5a, 5b, 5c, 5g ("5d"-"5f" may be absent, and must be 0). */
  boxes: Record<string, number>;
}

export interface IcpLineFacts {
  /** ISO country code of the customer's member state, e.g. "DE". */
  countryCode: string;
  /** The customer's VAT number, with or without its country prefix. */
  vatNumber: string;
  /** Whole euros (negative for a correction). */
  goods: number;
  services: number;
  triangular: number;
}

export interface XbrlContext {
  /** The release and entry point to write with (nt-releases.ts: taxonomyFor). */
  taxonomy: Taxonomy;
  /** e.g. NL123456782B01. */
  taxpayerVatNumber: string;
  /** Not a concept in these entry points: written into a leading comment for people reading the file. */
  taxpayerName: string;
  /** YYYY-MM-DD, inclusive. */
  periodStart: string;
  periodEnd: string;
  softwarePackageName: string;
  softwarePackageVersion: string;
  contactInitials?: string;
  contactSurname?: string;
  contactPhone?: string;
  /**
   * The omzetbelastingnummer, the number the Belastingdienst knows the taxpayer by for VAT returns: for
   * sole traders it differs from the VAT ID since 2020. Defaults to the VAT ID without "NL".
   */
  omzetbelastingnummer?: string;
  /** Our reference for this message (at most 20 characters); defaults to one derived from taxpayer, kind and period. */
  messageReference?: string;
  /** Written as DateTimeCreation (Dutch local time); omitted when absent so that output stays deterministic. */
  createdAt?: Date;
  /** The "swo" number the Belastingdienst assigns to registered software; needed in production. */
  softwareVendorAccountNumber?: string;
  /** BPL: the taxpayer files; INT: an intermediary (the accountancy firm) files. */
  contactType?: "BPL" | "INT";
  contactPrefix?: string;
  /** The intermediary's number at the Belastingdienst (BECON), when an intermediary files. */
  taxConsultantNumber?: string;
}

/** The input cannot be expressed as a valid instance; the message says which field and why. */
export class XbrlInputError extends Error {}

const MAIN_CONTEXT = "Msg";
const UNIT = "EUR";
const VAT_NUMBER_PATTERN = /^NL\d{9}B\d{2}$/;
const OB_NUMBER_PATTERN = /^\d{9}B\d{2}$/;

/** Boxes 1a…4b whose VAT adds up to 5a. */
const VAT_AMOUNT_BOXES = ["1a_vat", "1b_vat", "1c_vat", "1d_vat", "2a_vat", "4a_vat", "4b_vat"] as const;
const OPTIONAL_BOXES = new Set(["5d", "5e", "5f"]);
const REQUIRED_BOXES = [...Object.keys(VAT_BOX_CONCEPTS), "5c"];

/**
 * The SBR filing rule FR-NL-1.02 limits an instance to a few Unicode blocks. Which blocks exactly was
 * not confirmed; this allows Basic Latin, Latin-1 Supplement, Latin Extended-A/B and Currency Symbols.
 */
const OUTSIDE_FILING_CHARACTERS = /[^\t\n\r\u0020-\u007E\u00A0-\u024F\u20A0-\u20CF]/gu;

/** A member state whose VAT numbers carry a prefix other than its ISO code. */
const VAT_PREFIX_BY_COUNTRY: Readonly<Record<string, string>> = { GR: "EL" };

/** A VAT return, or (`correction`) the suppletie that corrects an accepted one: the period's boxes as they should be. */
export function vatReturnXbrl(ctx: XbrlContext, facts: VatReturnFacts, options: { correction?: boolean } = {}): string {
  const kind = options.correction ? "VAT_CORRECTION" : "VAT_RETURN";
  const boxes = checkedVatBoxes(facts.boxes, ctx.taxonomy);
  const header = instanceHeader(kind, ctx, periodIdentity(ctx));
  const amounts = (Object.keys(VAT_BOX_CONCEPTS) as VatBoxWithConcept[]).map((box) => amountFact(VAT_BOX_CONCEPTS[box], boxes[box]!, MAIN_CONTEXT));
  return instanceDocument(kind, ctx, header.contexts, [...header.facts, ...amounts]);
}

export function icpDeclarationXbrl(ctx: XbrlContext, lines: IcpLineFacts[]): string {
  // Without lines the EUR unit would go unused (FR-NL-4.02), and there is nothing to declare.
  if (lines.length === 0) throw new XbrlInputError("An ICP declaration needs at least one line");
  const identity = periodIdentity(ctx);
  const header = instanceHeader("ICP_DECLARATION", ctx, identity);
  const lineContexts: string[] = [];
  const lineFacts: string[] = [];
  const seen = new Set<string>();
  lines.forEach((line, index) => {
    const { countryCode, vatNumber } = normalisedCustomer(line, index);
    const key = `${countryCode}:${vatNumber}`;
    if (seen.has(key)) throw new XbrlInputError(`ICP line ${index + 1}: customer ${countryCode} ${vatNumber} appears more than once; combine its amounts into one line`);
    seen.add(key);
    const contextId = `ICP_${index + 1}`;
    lineContexts.push(
      context(contextId, identity, [
        typedMember(ICP_CONCEPTS.vatNumberDimension, ICP_CONCEPTS.vatNumberDomain, vatNumber),
        typedMember(ICP_CONCEPTS.countryDimension, ICP_CONCEPTS.countryDomain, countryCode),
      ]),
    );
    const amounts = (
      [
        ["goods", ICP_CONCEPTS.goods],
        ["services", ICP_CONCEPTS.services],
        ["triangular", ICP_CONCEPTS.triangular],
      ] as const
    )
      .map(([field, concept]) => ({ concept, amount: checkedAmount(line[field], `ICP line ${index + 1} ${field}`) }))
      // Zero amounts are left out, as the packages we compared with do; a line needs at least one.
      .filter(({ amount }) => amount !== 0);
    if (amounts.length === 0) throw new XbrlInputError(`ICP line ${index + 1}: goods, services and triangular are all zero`);
    lineFacts.push(...amounts.map(({ concept, amount }) => amountFact(concept, amount, contextId)));
  });
  return instanceDocument("ICP_DECLARATION", ctx, [...header.contexts, ...lineContexts], [...header.facts, ...lineFacts]);
}

// ---- validation of the input ----

function checkedVatBoxes(boxes: Record<string, number>, taxonomy: Taxonomy): Record<string, number> {
  const unknown = Object.keys(boxes).filter((box) => !REQUIRED_BOXES.includes(box) && !OPTIONAL_BOXES.has(box));
  if (unknown.length > 0) throw new XbrlInputError(`Unknown VAT boxes: ${unknown.join(", ")}`);
  const missing = REQUIRED_BOXES.filter((box) => boxes[box] === undefined);
  if (missing.length > 0) throw new XbrlInputError(`Missing VAT boxes: ${missing.join(", ")}`);
  for (const [box, amount] of Object.entries(boxes)) checkedAmount(amount, `box ${box}`);

  // The 2026 entry point has no concept for 5d, 5e or 5f: a non-zero value cannot be filed electronically.
  for (const box of ["5d", "5e", "5f"]) {
    if ((boxes[box] ?? 0) !== 0) throw new XbrlInputError(`Box ${box} must be 0: the ${taxonomy.release.name} VAT return has no element for it`);
  }
  const vatDue = VAT_AMOUNT_BOXES.reduce((sum, box) => sum + boxes[box]!, 0);
  if (boxes["5a"] !== vatDue) throw new XbrlInputError(`Box 5a is ${boxes["5a"]} but the VAT of boxes 1a–4b adds up to ${vatDue}`);
  if (boxes["5c"] !== boxes["5a"]! - boxes["5b"]!) throw new XbrlInputError(`Box 5c is ${boxes["5c"]} but 5a − 5b is ${boxes["5a"]! - boxes["5b"]!}`);
  if (boxes["5g"] !== boxes["5c"]) throw new XbrlInputError(`Box 5g is ${boxes["5g"]} but with 5d–5f at 0 it must equal 5c (${boxes["5c"]})`);
  return boxes;
}

function checkedText(value: string, what: string): string {
  const outside = value.match(OUTSIDE_FILING_CHARACTERS);
  if (outside) throw new XbrlInputError(`${what}: the characters ${outside.join(" ")} are not allowed in a Belastingdienst instance`);
  return value;
}

function checkedAmount(amount: number, what: string): number {
  if (!Number.isSafeInteger(amount)) throw new XbrlInputError(`${what}: ${amount} is not a whole number of euros`);
  return amount;
}

function normalisedCustomer(line: IcpLineFacts, index: number): { countryCode: string; vatNumber: string } {
  const countryCode = line.countryCode.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(countryCode) || countryCode === "NL") {
    throw new XbrlInputError(`ICP line ${index + 1}: "${line.countryCode}" is not another member state's country code`);
  }
  let vatNumber = line.vatNumber.toUpperCase().replace(/[\s.-]/g, "");
  const prefixes = [countryCode, VAT_PREFIX_BY_COUNTRY[countryCode]].filter((prefix): prefix is string => prefix !== undefined);
  const prefix = prefixes.find((candidate) => vatNumber.startsWith(candidate));
  if (prefix !== undefined) vatNumber = vatNumber.slice(prefix.length);
  if (!/^[0-9A-Z+*]{2,12}$/.test(vatNumber)) throw new XbrlInputError(`ICP line ${index + 1}: "${line.vatNumber}" is not a VAT number`);
  return { countryCode, vatNumber };
}

interface PeriodIdentity {
  obNumber: string;
  periodStart: string;
  periodEnd: string;
}

function periodIdentity(ctx: XbrlContext): PeriodIdentity {
  const vatNumber = ctx.taxpayerVatNumber.toUpperCase().replace(/[\s.]/g, "");
  if (!VAT_NUMBER_PATTERN.test(vatNumber)) throw new XbrlInputError(`taxpayerVatNumber "${ctx.taxpayerVatNumber}" is not a Dutch VAT number (NL123456782B01)`);
  const obNumber = (ctx.omzetbelastingnummer ?? vatNumber.slice(2)).toUpperCase().replace(/[\s.]/g, "");
  if (!OB_NUMBER_PATTERN.test(obNumber)) throw new XbrlInputError(`omzetbelastingnummer "${ctx.omzetbelastingnummer}" must look like 123456782B01`);
  for (const date of [ctx.periodStart, ctx.periodEnd]) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
      throw new XbrlInputError(`"${date}" is not a date (YYYY-MM-DD)`);
    }
  }
  if (ctx.periodStart > ctx.periodEnd) throw new XbrlInputError(`The period starts (${ctx.periodStart}) after it ends (${ctx.periodEnd})`);
  return { obNumber, periodStart: ctx.periodStart, periodEnd: ctx.periodEnd };
}

// ---- writing the instance ----

function instanceHeader(kind: MessageKind, ctx: XbrlContext, identity: PeriodIdentity): { contexts: string[]; facts: string[] } {
  const messageReference = ctx.messageReference ?? derivedMessageReference(kind, identity);
  if (messageReference.length === 0 || messageReference.length > MESSAGE_REFERENCE_MAX_LENGTH) {
    throw new XbrlInputError(`messageReference must be 1–${MESSAGE_REFERENCE_MAX_LENGTH} characters`);
  }
  for (const [field, value] of [
    ["softwarePackageName", ctx.softwarePackageName],
    ["softwarePackageVersion", ctx.softwarePackageVersion],
  ] as const) {
    if (value.trim() === "") throw new XbrlInputError(`${field} is required`);
  }
  const optionalText: Array<[string, string | undefined]> = [
    [HEADER_CONCEPTS.softwareVendorAccountNumber, ctx.softwareVendorAccountNumber],
    [HEADER_CONCEPTS.dateTimeCreation, ctx.createdAt && dutchLocalTimestamp(ctx.createdAt)],
    [HEADER_CONCEPTS.contactType, ctx.contactType],
    [HEADER_CONCEPTS.contactInitials, ctx.contactInitials],
    [HEADER_CONCEPTS.contactPrefix, ctx.contactPrefix],
    [HEADER_CONCEPTS.contactSurname, ctx.contactSurname],
    // Digits and "+" only, as the packages we compared with send it.
    [HEADER_CONCEPTS.contactTelephoneNumber, ctx.contactPhone?.replace(/[^+\d]/g, "")],
    [HEADER_CONCEPTS.taxConsultantNumber, ctx.taxConsultantNumber],
  ];
  const facts = [
    textFact(HEADER_CONCEPTS.messageReference[kind], messageReference),
    textFact(HEADER_CONCEPTS.softwarePackageName, ctx.softwarePackageName),
    textFact(HEADER_CONCEPTS.softwarePackageVersion, ctx.softwarePackageVersion),
    ...optionalText.filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== "").map(([concept, value]) => textFact(concept, value)),
  ];
  return { contexts: [context(MAIN_CONTEXT, identity, [])], facts };
}

const TITLES: Readonly<Record<MessageKind, string>> = { VAT_RETURN: "Aangifte omzetbelasting", VAT_CORRECTION: "Suppletie omzetbelasting", ICP_DECLARATION: "Opgaaf ICP" };

function instanceDocument(kind: MessageKind, ctx: XbrlContext, contexts: string[], facts: string[]): string {
  const namespaces = namespacesOf(ctx.taxonomy.release);
  const prefixes: Array<keyof typeof namespaces> =
    kind === "ICP_DECLARATION" ? ["xbrli", "link", "xlink", "iso4217", "xbrldi", "bd-i", "bd-axes", "bd-domains"] : ["xbrli", "link", "xlink", "iso4217", "bd-i"];
  const declarations = prefixes.map((prefix) => `xmlns:${prefix}="${namespaces[prefix]}"`).join(" ");
  const title = TITLES[kind];
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    // For people reading the file; characters the filing rules do not allow become "?".
    xmlComment(`${title} ${ctx.periodStart} t/m ${ctx.periodEnd}, ${ctx.taxpayerName.replace(OUTSIDE_FILING_CHARACTERS, "?")} (${ctx.taxonomy.release.name})`),
    `<xbrli:xbrl xml:lang="nl" ${declarations}>`,
    `  <link:schemaRef xlink:type="simple" xlink:href="${ctx.taxonomy.entryPoint}"/>`,
    ...contexts,
    `  <xbrli:unit id="${UNIT}">`,
    `    <xbrli:measure>iso4217:EUR</xbrli:measure>`,
    `  </xbrli:unit>`,
    ...facts,
    `</xbrli:xbrl>`,
    ``,
  ].join("\n");
}

function context(id: string, identity: PeriodIdentity, scenario: string[]): string {
  return [
    `  <xbrli:context id="${id}">`,
    `    <xbrli:entity>`,
    `      <xbrli:identifier scheme="${OB_NUMBER_SCHEME}">${escapeXml(identity.obNumber)}</xbrli:identifier>`,
    `    </xbrli:entity>`,
    `    <xbrli:period>`,
    `      <xbrli:startDate>${identity.periodStart}</xbrli:startDate>`,
    `      <xbrli:endDate>${identity.periodEnd}</xbrli:endDate>`,
    `    </xbrli:period>`,
    ...(scenario.length > 0 ? [`    <xbrli:scenario>`, ...scenario, `    </xbrli:scenario>`] : []),
    `  </xbrli:context>`,
  ].join("\n");
}

function typedMember(dimension: string, domain: string, value: string): string {
  return [
    `      <xbrldi:typedMember dimension="bd-axes:${dimension}">`,
    `        <bd-domains:${domain}>${escapeXml(value)}</bd-domains:${domain}>`,
    `      </xbrldi:typedMember>`,
  ].join("\n");
}

function textFact(concept: string, value: string): string {
  return `  <bd-i:${concept} contextRef="${MAIN_CONTEXT}">${escapeXml(checkedText(value, concept))}</bd-i:${concept}>`;
}

function amountFact(concept: string, amount: number, contextRef: string): string {
  return `  <bd-i:${concept} contextRef="${contextRef}" unitRef="${UNIT}" decimals="INF">${amount}</bd-i:${concept}>`;
}

function derivedMessageReference(kind: MessageKind, identity: PeriodIdentity): string {
  const digest = crypto.createHash("sha256").update(`${kind}|${identity.obNumber}|${identity.periodStart}|${identity.periodEnd}`).digest("hex");
  return `PD${digest.slice(0, MESSAGE_REFERENCE_MAX_LENGTH - 2).toUpperCase()}`;
}

/** YYYYMMDDhhmm in Dutch local time, the DateTimeCreation format. */
function dutchLocalTimestamp(at: Date): string {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/Amsterdam",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((candidate) => candidate.type === type)!.value;
  return `${part("year")}${part("month")}${part("day")}${part("hour")}${part("minute")}`;
}

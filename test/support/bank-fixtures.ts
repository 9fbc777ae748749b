// Generated bank statement files with their known answers: a seeded model of an account's
// statements, written as MT940 in the ING, Rabobank and ABN AMRO flavours or as CAMT.053 in any
// version from .001.02 to .001.08. The model is what reading the file must give back, to the cent.
import { formatCents } from "../../src/core/money.js";

export type Mt940Flavour = "ING" | "RABOBANK" | "ABN_AMRO";
export const MT940_FLAVOURS: Mt940Flavour[] = ["ING", "RABOBANK", "ABN_AMRO"];
export const CAMT_VERSIONS = ["02", "03", "04", "05", "06", "07", "08"];

export interface EntryModel {
  bookingDate: string;
  valueDate: string;
  /** Signed cents, as a decimal string ("-12.50"). */
  amount: string;
  counterpartyName: string | null;
  counterpartyIban: string | null;
  counterpartyBic: string | null;
  description: string | null;
  endToEndId: string | null;
  bankReference: string | null;
}

export interface StatementModel {
  account: string;
  currency: string;
  number: string;
  sequence: number;
  from: string;
  to: string;
  openingBalance: string;
  closingBalance: string;
  entries: EntryModel[];
}

/** mulberry32: a small seeded generator, so a failing fixture can be made again from its seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

const cents = (text: string) => BigInt(text.replace(".", ""));
const decimal = formatCents;
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const PARTIES = [
  { name: "Jansen Installatietechniek BV", iban: "NL91ABNA0417164300", bic: "ABNANL2A" },
  { name: "Bakkerij De Korenschoof", iban: "NL20INGB0001234567", bic: "INGBNL2A" },
  { name: "Groothandel Van Dijk & Zn", iban: "NL39RABO0300065264", bic: "RABONL2U" },
  { name: "Müller Logistik GmbH", iban: "DE89370400440532013000", bic: "COBADEFFXXX" },
  { name: "Belastingdienst", iban: "NL86INGB0002445588", bic: "INGBNL2A" },
];

export interface AccountOptions {
  seed: number;
  account?: string;
  currency?: string;
  /** How many consecutive statements (one per day). */
  days: number;
  firstDate?: string;
  firstNumber?: number;
  openingBalance?: string;
  /** Entries per statement, at most (0 … this many). */
  maxEntries?: number;
  /** Entries without a counterparty (card payments, bank costs) and with it, mixed. */
  withCardPayments?: boolean;
  /** Statement indexes whose opening balance is off by €100 from the previous closing. */
  breaksAt?: number[];
}

/** Consecutive daily statements of one account: balances join, except where `breaksAt` says. */
export function accountStatements(options: AccountOptions): StatementModel[] {
  const random = seeded(options.seed);
  const account = options.account ?? "NL02RABO0123456789";
  const currency = options.currency ?? "EUR";
  let balance = cents(options.openingBalance ?? "2500.00");
  let date = options.firstDate ?? "2026-01-01";
  const statements: StatementModel[] = [];
  for (let day = 0; day < options.days; day += 1) {
    if (options.breaksAt?.includes(day)) balance += 10000n;
    const opening = balance;
    const entries: EntryModel[] = [];
    const count = Math.floor(random() * ((options.maxEntries ?? 4) + 1));
    for (let i = 0; i < count; i += 1) {
      const amount = BigInt(Math.floor(random() * 250000) + 1) * (random() < 0.55 ? -1n : 1n);
      balance += amount;
      const card = options.withCardPayments && random() < 0.25;
      const party = PARTIES[Math.floor(random() * PARTIES.length)]!;
      const ref = `${date.replace(/-/g, "")}${String(i).padStart(3, "0")}`;
      entries.push({
        bookingDate: date,
        valueDate: i === 0 && day > 0 ? addDays(date, -1) : date,
        amount: decimal(amount),
        counterpartyName: card ? null : party.name,
        counterpartyIban: card ? null : party.iban,
        counterpartyBic: card ? null : party.bic,
        description: card ? `BEA NR:${ref} ALBERT HEIJN 1403 AMSTERDAM` : `Factuur ${2026}/${String(day * 10 + i).padStart(4, "0")} klant ${Math.floor(random() * 9000) + 1000}`,
        endToEndId: card ? null : `E2E-${ref}`,
        bankReference: `BR${ref}`,
      });
    }
    statements.push({
      account,
      currency,
      number: String((options.firstNumber ?? 1) + day),
      sequence: 1,
      from: date,
      to: date,
      openingBalance: decimal(opening),
      closingBalance: decimal(balance),
      entries,
    });
    date = addDays(date, 1);
  }
  return statements;
}

// ——— MT940 ———

const yymmdd = (date: string) => date.slice(2).replace(/-/g, "");
const mt940Amount = (value: string) => value.replace("-", "").replace(".", ",");
const mark = (value: string) => (value.startsWith("-") ? "D" : "C");

/** Structured :86: text cut into lines of 65 characters, as banks write it. */
function wrap86(text: string): string {
  const lines = text.match(/.{1,65}/g) ?? [""];
  return `:86:${lines.join("\r\n")}`;
}

function info86(entry: EntryModel, flavour: Mt940Flavour): string {
  if (!entry.counterpartyName) {
    // Card payments and costs: free text (ABN AMRO "BEA …"), or a REMI alone.
    return flavour === "ABN_AMRO" ? `:86:${entry.description}` : wrap86(`/REMI/${flavour === "ING" ? "USTD//" : ""}${entry.description}/`);
  }
  switch (flavour) {
    case "ING":
      return wrap86(`/EREF/${entry.endToEndId}//CNTP/${entry.counterpartyIban}/${entry.counterpartyBic}/${entry.counterpartyName}/AMSTERDAM//REMI/USTD//${entry.description}/`);
    case "RABOBANK":
      // Rabobank: the counterparty's IBAN on :61:'s second line; name under BENM (paid to) or ORDP (received from).
      return wrap86(
        `/EREF/${entry.endToEndId}/${entry.amount.startsWith("-") ? "BENM" : "ORDP"}//NAME/${entry.counterpartyName}/BIC/${entry.counterpartyBic}/REMI/${entry.description}`,
      );
    case "ABN_AMRO":
      return wrap86(
        `/TRTP/SEPA OVERBOEKING/IBAN/${entry.counterpartyIban}/BIC/${entry.counterpartyBic}/NAME/${entry.counterpartyName}/REMI/${entry.description}/EREF/${entry.endToEndId}`,
      );
  }
}

function mt940Statement(s: StatementModel, flavour: Mt940Flavour, index: number): string {
  // ING appends the currency to the account.
  const account = flavour === "ING" ? `${s.account}${s.currency}` : s.account;
  const lines = [
    `:20:${flavour === "RABOBANK" ? "940S" : "P"}${yymmdd(s.to)}${String(index).padStart(4, "0")}`,
    `:25:${account}`,
    `:28C:${flavour === "ING" ? s.number.padStart(5, "0") : s.number}${flavour === "ABN_AMRO" ? "" : `/${s.sequence}`}`,
    `:60F:${mark(s.openingBalance)}${yymmdd(s.from)}${s.currency}${mt940Amount(s.openingBalance)}`,
  ];
  for (const e of s.entries) {
    const entryDate = e.bookingDate.slice(5).replace("-", "");
    const type = e.counterpartyName ? "NTRF" : "NMSC";
    const ownRef = flavour === "ABN_AMRO" ? "NONREF" : (e.endToEndId ?? "NONREF").slice(0, 16);
    lines.push(`:61:${yymmdd(e.valueDate)}${entryDate}${mark(e.amount)}${mt940Amount(e.amount)}${type}${ownRef}//${e.bankReference}`);
    if (flavour === "RABOBANK" && e.counterpartyIban) lines.push(e.counterpartyIban);
    lines.push(info86(e, flavour));
  }
  lines.push(`:62F:${mark(s.closingBalance)}${yymmdd(s.to)}${s.currency}${mt940Amount(s.closingBalance)}`);
  return lines.join("\r\n");
}

/** One MT940 file holding the statements (of one or more accounts) as the bank writes them. */
export function toMt940(statements: StatementModel[], flavour: Mt940Flavour): string {
  const body = statements.map((s, i) => mt940Statement(s, flavour, i + 1));
  switch (flavour) {
    case "ING":
      return `{1:F01INGBNL2AXXXX0000000000}{2:I940INGBNL2AXXXXN}{4:\r\n${body.join("\r\n-}\r\n{1:F01INGBNL2AXXXX0000000000}{2:I940INGBNL2AXXXXN}{4:\r\n")}\r\n-}\r\n`;
    case "RABOBANK":
      return `:940:\r\n${body.join("\r\n")}\r\n`;
    case "ABN_AMRO":
      return `ABNANL2A\r\n940\r\nABNANL2A\r\n${body.join("\r\n-\r\nABNANL2A\r\n940\r\nABNANL2A\r\n")}\r\n-\r\n`;
  }
}

// ——— CAMT.053 ———

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function party(version: string, role: "Dbtr" | "Cdtr", name: string): string {
  // From .08 on the party sits in Pty.
  return Number(version) >= 8 ? `<${role}><Pty><Nm>${escape(name)}</Nm></Pty></${role}>` : `<${role}><Nm>${escape(name)}</Nm></${role}>`;
}

function camtEntry(e: EntryModel, version: string): string {
  const credit = !e.amount.startsWith("-");
  const role = credit ? "Dbtr" : "Cdtr";
  const bicTag = Number(version) >= 4 ? "BICFI" : "BIC";
  const status = Number(version) >= 8 ? "<Sts><Cd>BOOK</Cd></Sts>" : "<Sts>BOOK</Sts>";
  const details = e.counterpartyName
    ? `<NtryDtls><TxDtls>
          <Refs><EndToEndId>${escape(e.endToEndId!)}</EndToEndId></Refs>
          <RltdPties>${party(version, role, e.counterpartyName)}<${role}Acct><Id><IBAN>${e.counterpartyIban}</IBAN></Id></${role}Acct></RltdPties>
          <RltdAgts><${role}Agt><FinInstnId><${bicTag}>${e.counterpartyBic}</${bicTag}></FinInstnId></${role}Agt></RltdAgts>
          <RmtInf><Ustrd>${escape(e.description!)}</Ustrd></RmtInf>
        </TxDtls></NtryDtls>`
    : "";
  return `
      <Ntry>
        <Amt Ccy="EUR">${e.amount.replace("-", "")}</Amt>
        <CdtDbtInd>${credit ? "CRDT" : "DBIT"}</CdtDbtInd>
        ${status}
        <BookgDt><Dt>${e.bookingDate}</Dt></BookgDt>
        <ValDt><Dt>${e.valueDate}</Dt></ValDt>
        <AcctSvcrRef>${e.bankReference}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd></Domn></BkTxCd>
        ${details}
        ${e.counterpartyName ? "" : `<AddtlNtryInf>${escape(e.description!)}</AddtlNtryInf>`}
      </Ntry>`;
}

const camtBalance = (code: string, value: string, date: string, currency: string) => `
      <Bal>
        <Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp>
        <Amt Ccy="${currency}">${value.replace("-", "")}</Amt>
        <CdtDbtInd>${value.startsWith("-") ? "DBIT" : "CRDT"}</CdtDbtInd>
        <Dt><Dt>${date}</Dt></Dt>
      </Bal>`;

/** A CAMT.053 message of the given version holding the statements. */
export function toCamt053(statements: StatementModel[], version: string, options: { prefix?: string } = {}): string {
  const p = options.prefix ? `${options.prefix}:` : "";
  const body = statements
    .map(
      (s, i) => `
    <Stmt>
      <Id>STMT-${s.to}-${i + 1}</Id>
      <ElctrncSeqNb>${s.number}</ElctrncSeqNb>
      <CreDtTm>${s.to}T23:00:00</CreDtTm>
      <FrToDt><FrDtTm>${s.from}T00:00:00</FrDtTm><ToDtTm>${s.to}T23:59:59</ToDtTm></FrToDt>
      <Acct><Id><IBAN>${s.account}</IBAN></Id><Ccy>${s.currency}</Ccy></Acct>
      ${camtBalance("OPBD", s.openingBalance, s.from, s.currency)}
      ${camtBalance("CLBD", s.closingBalance, s.to, s.currency)}
      ${s.entries.map((e) => camtEntry(e, version)).join("")}
    </Stmt>`,
    )
    .join("");
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.${version}">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>MSG-${statements[0]?.to ?? "0"}</MsgId><CreDtTm>2026-12-01T08:00:00</CreDtTm></GrpHdr>${body}
  </BkToCstmrStmt>
</Document>
`;
  // A prefix for every element exercises namespace handling (some banks write ns2:Document).
  return p ? xml.replace(/<(\/?)(?![?!])([A-Za-z])/g, `<$1${p}$2`).replace(`xmlns=`, `xmlns:${options.prefix}=`) : xml;
}

// ——— Hostile and malformed ———

export const hostileXml = {
  billionLaughs: `<?xml version="1.0"?>
<!DOCTYPE Document [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
  <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
  <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Id>&f;</Id></Stmt></BkToCstmrStmt></Document>
`,
  externalEntity: `<?xml version="1.0"?>
<!DOCTYPE Document [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Id>&secret;</Id></Stmt></BkToCstmrStmt></Document>
`,
  wrongNamespace: `<?xml version="1.0"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.02"><BkToCstmrStmt><Stmt><Id>1</Id></Stmt></BkToCstmrStmt></Document>
`,
  deepNesting: `<?xml version="1.0"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>${"<Stmt>".repeat(20000)}${"</Stmt>".repeat(20000)}</BkToCstmrStmt></Document>\n`,
};

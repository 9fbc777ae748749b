// ISO 20022 CAMT.053 (bank-to-customer statement), versions .001.02 to .001.08, read into the same
// model as MT940. Names moved between versions (BIC → BICFI, Dbtr/Nm → Dbtr/Pty/Nm, Sts → Sts/Cd):
// each lookup tries both.
import { isCalendarDate } from "../../core/validation.js";
import { attributeValue, childNamed, childrenNamed, parseXml, pathText, pathTo, XmlSyntaxError, type XmlElement } from "../../core/xml-tree.js";
import { bankAmountCents, normalizeAccount, type ParsedBalance, type ParsedEntry, type ParsedStatement, StatementFormatError } from "./statement-model.js";

const NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.(\d{2})$/;
export const CAMT053_VERSIONS = ["02", "03", "04", "05", "06", "07", "08"] as const;

function isoDate(element: XmlElement | null, where: string): string | null {
  if (!element) return null;
  const text = (pathText(element, "Dt") ?? pathText(element, "DtTm") ?? "").slice(0, 10);
  if (!isCalendarDate(text)) throw new StatementFormatError(`${where}: "${text}" is not a date`);
  return text;
}

function signedAmount(parent: XmlElement, where: string): { cents: bigint; currency: string | null } {
  const amount = childNamed(parent, "Amt");
  if (!amount) throw new StatementFormatError(`${where}: no amount (Amt)`);
  const cents = bankAmountCents(amount.text, where);
  const mark = pathText(parent, "CdtDbtInd");
  if (mark !== "CRDT" && mark !== "DBIT") throw new StatementFormatError(`${where}: CdtDbtInd is "${mark ?? ""}", expected CRDT or DBIT`);
  return { cents: mark === "DBIT" ? -cents : cents, currency: attributeValue(amount, "Ccy") };
}

const balanceCode = (bal: XmlElement) => pathText(bal, "Tp", "CdOrPrtry", "Cd") ?? pathText(bal, "Tp", "CdOrPrtry", "Prtry");

function balance(statement: XmlElement, codes: string[], where: string): (ParsedBalance & { currency: string | null }) | null {
  const bal = childrenNamed(statement, "Bal").find((b) => codes.includes(balanceCode(b) ?? ""));
  if (!bal) return null;
  const { cents, currency } = signedAmount(bal, `${where}, balance ${balanceCode(bal)}`);
  return { cents, currency, date: isoDate(childNamed(bal, "Dt"), `${where}, balance ${balanceCode(bal)}`)! };
}

const text = (value: string | null | undefined) => (value && value.trim() && value.trim() !== "NOTPROVIDED" ? value.trim() : null);

/** A party's name in either shape (Dbtr/Nm up to .07, Dbtr/Pty/Nm from .08). */
const partyName = (details: XmlElement, role: string) => text(pathText(details, "RltdPties", role, "Nm") ?? pathText(details, "RltdPties", role, "Pty", "Nm"));
const partyIban = (details: XmlElement, role: string) => text(pathText(details, "RltdPties", `${role}Acct`, "Id", "IBAN"));
const agentBic = (details: XmlElement, role: string) =>
  text(pathText(details, "RltdAgts", `${role}Agt`, "FinInstnId", "BICFI") ?? pathText(details, "RltdAgts", `${role}Agt`, "FinInstnId", "BIC"));

function entry(ntry: XmlElement, where: string): ParsedEntry | null {
  // Only booked entries change the balance; pending and information-only ones are left out.
  const status = pathText(ntry, "Sts", "Cd") ?? pathText(ntry, "Sts");
  if (status && status !== "BOOK") return null;
  const { cents } = signedAmount(ntry, where);
  const transactions = childrenNamed(childNamed(ntry, "NtryDtls") ?? ntry, "TxDtls");
  // Money in: the counterparty is the debtor; money out: the creditor. A batch shows its first transaction's party only when it has one.
  const details = transactions.length === 1 ? transactions[0]! : null;
  const role = cents < 0n ? "Cdtr" : "Dbtr";
  const remittance = details ? childNamed(details, "RmtInf") : null;
  const unstructured = remittance
    ? childrenNamed(remittance, "Ustrd")
        .map((u) => u.text.trim())
        .join(" ")
    : "";
  const structured = remittance ? pathText(remittance, "Strd", "CdtrRefInf", "Ref") : null;
  const iban = details ? partyIban(details, role) : null;
  return {
    bookingDate:
      isoDate(childNamed(ntry, "BookgDt"), where) ??
      isoDate(childNamed(ntry, "ValDt"), where) ??
      (() => {
        throw new StatementFormatError(`${where}: no booking date (BookgDt)`);
      })(),
    valueDate: isoDate(childNamed(ntry, "ValDt"), where),
    cents,
    counterpartyName: details ? partyName(details, role) : null,
    counterpartyIban: iban ? normalizeAccount(iban) : null,
    counterpartyBic: details ? agentBic(details, role) : null,
    description: text(unstructured) ?? text(structured) ?? text(pathText(ntry, "AddtlNtryInf")) ?? (transactions.length > 1 ? `${transactions.length} transactions` : null),
    endToEndId: details ? text(pathText(details, "Refs", "EndToEndId")) : null,
    bankReference: text(pathText(ntry, "AcctSvcrRef")) ?? (details ? text(pathText(details, "Refs", "AcctSvcrRef")) : null),
  };
}

function statement(stmt: XmlElement, index: number): ParsedStatement {
  const id = pathText(stmt, "Id");
  const where = `statement ${index + 1}${id ? ` (${id})` : ""}`;
  const account = pathText(stmt, "Acct", "Id", "IBAN") ?? pathText(stmt, "Acct", "Id", "Othr", "Id");
  if (!account) throw new StatementFormatError(`${where}: no account (Acct/Id)`);
  // The opening balance is OPBD, or PRCD (previous closing) where the bank writes that instead.
  const opening = balance(stmt, ["OPBD", "PRCD"], where);
  const closing = balance(stmt, ["CLBD"], where);
  if (!opening || !closing) throw new StatementFormatError(`${where}: no ${opening ? "closing (CLBD)" : "opening (OPBD or PRCD)"} balance`);
  const currency = pathText(stmt, "Acct", "Ccy") ?? opening.currency ?? closing.currency;
  if (!currency || !/^[A-Z]{3}$/.test(currency)) throw new StatementFormatError(`${where}: no currency`);
  const entries = childrenNamed(stmt, "Ntry")
    .map((ntry, i) => entry(ntry, `${where}, entry ${i + 1}`))
    .filter((e): e is ParsedEntry => e !== null);
  const number = text(pathText(stmt, "LglSeqNb")) ?? text(pathText(stmt, "ElctrncSeqNb"));
  return {
    account: normalizeAccount(account),
    currency,
    number: number && /^\d+$/.test(number) ? String(Number(number)) : number,
    sequence: 1,
    opening: { cents: opening.cents, date: opening.date },
    closing: { cents: closing.cents, date: closing.date },
    entries,
  };
}

/** Every statement of a CAMT.053 message; throws StatementFormatError for anything it cannot read. */
export function parseCamt053(xml: string): ParsedStatement[] {
  let root: XmlElement;
  try {
    root = parseXml(xml.replace(/^\uFEFF/, ""));
  } catch (error) {
    if (error instanceof XmlSyntaxError) throw new StatementFormatError(error.message);
    throw error;
  }
  const version = NAMESPACE.exec(root.namespace ?? "")?.[1];
  if (root.localName !== "Document" || !version) {
    throw new StatementFormatError(`the root element is {${root.namespace ?? ""}}${root.localName}, not a CAMT.053 Document`);
  }
  if (!(CAMT053_VERSIONS as readonly string[]).includes(version)) throw new StatementFormatError(`CAMT.053 version .001.${version} is not read (supported: .001.02 to .001.08)`);
  const statements = childrenNamed(pathTo(root, "BkToCstmrStmt") ?? root, "Stmt");
  if (statements.length === 0) throw new StatementFormatError("the message holds no statement (BkToCstmrStmt/Stmt)");
  return statements.map(statement);
}

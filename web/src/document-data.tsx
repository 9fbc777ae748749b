// What PortalDesk read from a document, for client and staff alike: an invoice (parties, totals,
// VAT breakdown, warnings, lines) or bank statements (balances, entries), and the bank accounts'
// problems as to-dos ("statement 17 of NL… is missing").
import { useEffect, useState } from "preact/hooks";
import {
  BankAccountsDocument,
  DocumentBankStatementsDocument,
  DocumentInvoiceDocument,
  type BankAccountsQuery,
  type DocumentBankStatementsQuery,
  type DocumentInvoiceQuery,
} from "@portaldesk/sdk";
import { api, followAdministration } from "./api.js";
import { ReadFields } from "./read-fields.js";
import { useI18n, type Language } from "./i18n.js";
import { Scrollable } from "./scrollable.js";

type InvoiceDoc = Extract<DocumentInvoiceQuery["node"], { __typename: "Document" }>;
type StatementDoc = Extract<DocumentBankStatementsQuery["node"], { __typename: "Document" }>;
type Accounts = BankAccountsQuery["administration"]["bankAccounts"];

export function money(amount: string | null | undefined, currency: string | null | undefined, language: Language): string {
  if (amount === null || amount === undefined) return "—";
  // Display only: the exact amount stays the API's decimal string.
  return new Intl.NumberFormat(language === "nl" ? "nl-NL" : "en-GB", { style: "currency", currency: currency ?? "EUR" }).format(Number(amount));
}

/** The to-dos of an administration's bank accounts, kept current as statements arrive. */
export function BankTodos({ administrationId }: { administrationId: string }) {
  const { t } = useI18n();
  const [accounts, setAccounts] = useState<Accounts>([]);
  useEffect(
    () =>
      followAdministration(administrationId, () => {
        void api()
          .request(BankAccountsDocument, { administrationId })
          .then((r) => setAccounts(r.administration.bankAccounts));
      }),
    [administrationId],
  );
  const problems = accounts.flatMap((a) => a.problems.map((p) => ({ ...p, account: a.iban })));
  if (problems.length === 0) return null;
  return (
    <section class="todos" aria-labelledby="todos-title" data-testid="bank-todos">
      <h2 id="todos-title">{t("bankTodos")}</h2>
      <ul>
        {problems.map((p) => (
          <li key={`${p.account}-${p.kind}-${p.statementNumber}`} data-kind={p.kind} data-testid="bank-todo">
            {p.message}
          </li>
        ))}
      </ul>
    </section>
  );
}

function InvoiceView({ document }: { document: InvoiceDoc }) {
  const { t, language } = useI18n();
  const invoice = document.invoice!;
  const m = (amount: string | null) => money(amount, invoice.currency, language);
  const party = (title: string, p: typeof invoice.supplier) => (
    <div class="party">
      <h3>{title}</h3>
      <p>
        <strong>{p.name ?? "—"}</strong>
        {p.address && <br />}
        {p.address}
        {p.vatNumber && (
          <>
            <br />
            {t("vatNumber")}: {p.vatNumber}
          </>
        )}
        {p.kvkNumber && (
          <>
            <br />
            KvK: {p.kvkNumber}
          </>
        )}
        {p.iban && (
          <>
            <br />
            IBAN: {p.iban}
          </>
        )}
      </p>
    </div>
  );
  return (
    <div data-testid="invoice-view">
      <h2>
        {t(invoice.kind === "CREDIT_NOTE" ? "creditNote" : "invoice")} {invoice.number} · {t(invoice.direction === "SALES" ? "SALES" : "PURCHASE")}
      </h2>
      <p class="meta">
        {t("issueDate")}: {invoice.issueDate ?? "—"} · {t("dueDate")}: {invoice.dueDate ?? "—"}
        {invoice.paymentReference && ` · ${t("paymentReference")}: ${invoice.paymentReference}`}
        {invoice.precedingInvoiceNumber && ` · ${t("corrects")}: ${invoice.precedingInvoiceNumber}`}
      </p>
      {invoice.warnings.length > 0 && (
        <div role="alert">
          <ul class="warnings" data-testid="invoice-warnings">
            {invoice.warnings.map((w) => (
              <li key={w.rule}>
                <code>{w.rule}</code> {w.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div class="parties">
        {party(t("supplier"), invoice.supplier)}
        {party(t("customer"), invoice.customer)}
      </div>
      {invoice.lines.totalCount > 0 && (
        <Scrollable label={`${t(invoice.kind === "CREDIT_NOTE" ? "creditNote" : "invoice")} ${invoice.number}`}>
          <table class="lines">
            <thead>
              <tr>
                <th>{t("description")}</th>
                <th class="num">{t("quantity")}</th>
                <th class="num">{t("unitPrice")}</th>
                <th class="num">{t("vat")}</th>
                <th class="num">{t("amount")}</th>
              </tr>
            </thead>
            <tbody>
              {invoice.lines.nodes.map((l) => (
                <tr key={l.lineId}>
                  <td>{l.description}</td>
                  <td class="num">{l.quantity}</td>
                  <td class="num">{l.unitPrice}</td>
                  <td class="num">{l.vatRate !== null ? `${l.vatRate}%` : l.vatCategory}</td>
                  <td class="num">{m(l.amount)}</td>
                </tr>
              ))}
              {invoice.lines.totalCount > invoice.lines.nodes.length && (
                <tr>
                  <td colSpan={5}>
                    … {invoice.lines.totalCount - invoice.lines.nodes.length} {t("moreLines")}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </Scrollable>
      )}
      <table class="totals" data-testid="invoice-totals">
        <tbody>
          {invoice.vatBreakdown.map((v) => (
            <tr key={`${v.category}-${v.rate}`}>
              <td>
                {t("vat")} {v.rate !== null ? `${v.rate}%` : v.category} ({m(v.taxable)})
              </td>
              <td class="num">{m(v.vat)}</td>
            </tr>
          ))}
          <tr>
            <td>{t("netTotal")}</td>
            <td class="num">{m(invoice.netTotal)}</td>
          </tr>
          <tr>
            <td>{t("vatTotal")}</td>
            <td class="num">{m(invoice.vatTotal)}</td>
          </tr>
          <tr class="strong">
            <td>{t("payable")}</td>
            <td class="num">{m(invoice.payableAmount)}</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

function StatementsView({ document }: { document: StatementDoc }) {
  const { t, language } = useI18n();
  return (
    <div data-testid="statement-view">
      {document.bankStatements.map((s) => (
        <section key={s.id} class="statement">
          <h2>
            {t("statement")} {s.number ?? ""} · {s.account}
          </h2>
          <p class="meta">
            {s.from} → {s.to} · {t("openingBalance")} {money(s.openingBalance, s.currency, language)} · {t("closingBalance")} {money(s.closingBalance, s.currency, language)} ·{" "}
            {s.entryCount} {t("entries")}
          </p>
          {s.entryCount > 0 && (
            <Scrollable label={`${t("statement")} ${s.number ?? ""}`}>
              <table class="lines">
                <thead>
                  <tr>
                    <th>{t("date")}</th>
                    <th>{t("counterparty")}</th>
                    <th>{t("description")}</th>
                    <th class="num">{t("amount")}</th>
                  </tr>
                </thead>
                <tbody>
                  {s.entries.nodes.map((e, i) => (
                    <tr key={i}>
                      <td>{e.bookingDate}</td>
                      <td>
                        {e.counterpartyName}
                        {e.counterpartyIban && <small> {e.counterpartyIban}</small>}
                      </td>
                      <td>{e.description}</td>
                      <td class={`num ${e.amount.startsWith("-") ? "debit" : "credit"}`}>{money(e.amount, s.currency, language)}</td>
                    </tr>
                  ))}
                  {s.entries.totalCount > s.entries.nodes.length && (
                    <tr>
                      <td colSpan={4}>
                        … {s.entries.totalCount - s.entries.nodes.length} {t("moreLines")}
                      </td>
                    </tr>
                  )}
                </tbody>
              </table>
            </Scrollable>
          )}
        </section>
      ))}
    </div>
  );
}

/** What was read from one document (or why nothing could be), inside the document viewer. */
export function DocumentData({ documentId }: { documentId: string }) {
  const { t } = useI18n();
  const [invoiceDoc, setInvoiceDoc] = useState<InvoiceDoc | null>(null);
  const [statementDoc, setStatementDoc] = useState<StatementDoc | null>(null);
  const load = () => {
    void api()
      .request(DocumentInvoiceDocument, { id: documentId, firstLines: 100 })
      .then((r) => setInvoiceDoc(r.node?.__typename === "Document" ? r.node : null));
    void api()
      .request(DocumentBankStatementsDocument, { id: documentId, first: 100 })
      .then((r) => setStatementDoc(r.node?.__typename === "Document" ? r.node : null));
  };
  useEffect(load, [documentId]);
  // While its pages are read, look again now and then (progress, then the fields).
  const reading = invoiceDoc?.processing && (invoiceDoc.processing.state === "QUEUED" || invoiceDoc.processing.state === "RUNNING" || invoiceDoc.dataStatus === "PENDING");
  useEffect(() => {
    if (!reading) return;
    const timer = setTimeout(load, 1500);
    return () => clearTimeout(timer);
  }, [reading, invoiceDoc]);
  const doc = invoiceDoc;
  return (
    <section class="document-data" aria-labelledby="data-title" data-testid="document-data">
      <h2 id="data-title">{t("readData")}</h2>
      {doc?.processing && (doc.processing.state === "QUEUED" || doc.processing.state === "RUNNING") && (
        <p role="status" data-testid="pages-progress">
          {t("pagesReading")}
          {doc.processing.pagesTotal ? ` ${doc.processing.pagesDone} ${t("pagesOf")} ${doc.processing.pagesTotal}` : ""}…{" "}
          {doc.processing.pagesTotal ? <progress max={doc.processing.pagesTotal} value={doc.processing.pagesDone} /> : null}
        </p>
      )}
      {doc?.dataStatus === "PENDING" && <p role="status">{t("dataPending")}</p>}
      {doc?.dataStatus === "FAILED" && (
        <p role="alert" class="error">
          {t("dataFailed")}: {doc.dataProblem}
        </p>
      )}
      {doc?.dataStatus === "NOTHING_FOUND" && !doc.invoice && <p role="status">{t("nothingRead")}</p>}
      {doc?.duplicateOf && (
        <p role="status" class="warning">
          {t("duplicateOf")}: {doc.duplicateOf.filename}
        </p>
      )}
      {doc?.authoritativeDocument && (
        <p role="status">
          {t("renditionOf")}: {doc.authoritativeDocument.filename}
        </p>
      )}
      {doc?.invoice && doc.invoice.source !== "E_INVOICE" && (
        <p class="meta" data-testid="read-source">
          {t(doc.invoice.source === "OCR" ? "readByOcr" : "readFromText")}
        </p>
      )}
      {doc?.invoice && doc.invoice.fields.length > 0 && <ReadFields documentId={documentId} fields={doc.invoice.fields} pageImageUrls={doc.pageImageUrls} onCorrected={load} />}
      {doc?.invoice && <InvoiceView document={doc} />}
      {statementDoc && statementDoc.bankStatements.length > 0 && <StatementsView document={statementDoc} />}
    </section>
  );
}

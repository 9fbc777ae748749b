// Bank statements: stored as read (accounts, statements, entries), listed, checked for
// continuity per account, and new problems told. Problems are computed from the statements of documents not removed,
// so they follow arrivals and removals without a table of their own to keep right.
import type { DataSource, EntityManager } from "typeorm";
import { paginate, type PageArgs } from "../../db/pagination.js";
import { inTransaction } from "../../db/transaction.js";
import type { JobQueue } from "../../jobs/job-queue.js";
import { Administration } from "../administrations/administration.entity.js";
import { firmStaffIds, portalClientIds } from "../administrations/administration.policy.js";
import { NotificationKind, type NotificationService } from "../notifications/notification.service.js";
import { problemNote } from "./problem-text.js";
import type { Document } from "../documents/document.entity.js";
import { BankAccount, BankEntry, BankStatement } from "./bank-statement.entity.js";
import { type BankProblem, continuityProblems, type StatementSummary } from "./continuity.js";
import type { ParsedStatement } from "./statement-model.js";

/** Entries go in with one statement per this many rows (PostgreSQL's 65535 parameters are avoided by arrays). */
const ENTRY_BATCH = 5000;

/** What identifies a problem across recomputations: a gap by its number, everything else by its statement. */
const problemKey = (p: BankProblem) => `${p.kind}:${p.statementNumber ?? ""}:${p.statementId ?? ""}`;

export const TELL_PROBLEMS_QUEUE = "bank_accounts.tell_problems";

export class BankStatementService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobQueue,
    private readonly notifications: NotificationService,
    private readonly options: { maxPageSize: number; noticeDelaySeconds: number },
  ) {}

  /**
   * Stores the statements read from `document` in the caller's transaction, and queues the telling
   * of their accounts' new problems for a little later: files handed in together close each other's
   * gaps, and only what is still wrong then is told.
   */
  async record(manager: EntityManager, document: Document, statements: ParsedStatement[]): Promise<void> {
    const accounts = new Map<string, string>();
    for (const key of [...new Set(statements.map((s) => `${s.account} ${s.currency}`))].sort()) {
      const [account, currency] = key.split(" ") as [string, string];
      const [row] = (await manager.query(
        `INSERT INTO bank_accounts (id, firm_id, administration_id, account, currency) VALUES (gen_random_uuid(), $1, $2, $3, $4)
         ON CONFLICT (administration_id, account, currency) DO UPDATE SET currency = EXCLUDED.currency
         RETURNING id`,
        [document.firmId, document.administrationId, account, currency],
      )) as Array<{ id: string }>;
      accounts.set(key, row!.id);
    }
    for (const [position, parsed] of statements.entries()) {
      const statement = await manager.getRepository(BankStatement).save(
        manager.getRepository(BankStatement).create({
          firmId: document.firmId,
          administrationId: document.administrationId,
          bankAccountId: accounts.get(`${parsed.account} ${parsed.currency}`)!,
          documentId: document.id,
          position,
          number: parsed.number,
          sequence: parsed.sequence,
          openingDate: parsed.opening.date,
          openingCents: parsed.opening.cents,
          closingDate: parsed.closing.date,
          closingCents: parsed.closing.cents,
          entryCount: parsed.entries.length,
          entriesCents: parsed.entries.reduce((sum, e) => sum + e.cents, 0n),
        }),
      );
      await this.insertEntries(manager, statement.id, parsed);
    }
    for (const bankAccountId of accounts.values()) {
      await this.jobs.send(manager, TELL_PROBLEMS_QUEUE, { bankAccountId }, { startAfter: this.options.noticeDelaySeconds });
    }
  }

  /**
   * Tells the administration's clients and the firm's staff the account's problems not told before
   * (idempotent: the account row is locked and the told set kept, so several runs tell once).
   */
  async tellProblems(bankAccountId: string): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      const account = await manager.getRepository(BankAccount).createQueryBuilder("a").setLock("pessimistic_write").where("a.id = :id", { id: bankAccountId }).getOne();
      if (!account) return;
      const problems = (await this.problems(manager, [account.id])).get(account.id) ?? [];
      const told = new Set(account.toldProblems);
      const fresh = problems.filter((p) => !told.has(problemKey(p)));
      // A problem that went away and comes back later is told again.
      await manager.query("UPDATE bank_accounts SET told_problems = $2 WHERE id = $1", [account.id, problems.map(problemKey)]);
      if (fresh.length === 0) return;
      const administration = await manager.getRepository(Administration).findOneByOrFail({ id: account.administrationId });
      const [clients, staff] = await Promise.all([portalClientIds(manager, administration.id), firmStaffIds(manager, administration.firmId)]);
      const params = { administration: administration.name, account: account.account, currency: account.currency, problems: fresh.map(problemNote) };
      const base = { firmId: administration.firmId, administrationId: administration.id, params, subject: { type: "Administration", id: administration.id } };
      await this.notifications.notify(manager, { ...base, recipientUserIds: clients, kind: NotificationKind.BANK_STATEMENT_PROBLEMS });
      await this.notifications.notify(manager, { ...base, recipientUserIds: staff, kind: NotificationKind.BANK_ACCOUNT_PROBLEMS });
    });
  }

  private async insertEntries(manager: EntityManager, statementId: string, parsed: ParsedStatement): Promise<void> {
    for (let start = 0; start < parsed.entries.length; start += ENTRY_BATCH) {
      const batch = parsed.entries.slice(start, start + ENTRY_BATCH);
      const column = <K extends keyof (typeof batch)[number]>(key: K) => batch.map((e) => e[key]);
      await manager.query(
        `INSERT INTO bank_entries (statement_id, position, booking_date, value_date, amount_cents, counterparty_name, counterparty_iban, counterparty_bic, description, end_to_end_id, bank_reference)
         SELECT $1, start + ordinality - 1, booking_date, value_date, amount_cents, counterparty_name, counterparty_iban, counterparty_bic, description, end_to_end_id, bank_reference
         FROM unnest($3::date[], $4::date[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
           WITH ORDINALITY AS e(booking_date, value_date, amount_cents, counterparty_name, counterparty_iban, counterparty_bic, description, end_to_end_id, bank_reference, ordinality),
           (SELECT $2::int AS start) s`,
        [
          statementId,
          start,
          column("bookingDate"),
          column("valueDate"),
          batch.map((e) => String(e.cents)),
          column("counterpartyName").map((v) => v?.slice(0, 140) ?? null),
          column("counterpartyIban").map((v) => v?.slice(0, 40) ?? null),
          column("counterpartyBic").map((v) => v?.slice(0, 11) ?? null),
          column("description"),
          column("endToEndId").map((v) => v?.slice(0, 140) ?? null),
          column("bankReference").map((v) => v?.slice(0, 140) ?? null),
        ],
      );
    }
  }

  /** The continuity problems of each account, from the statements of documents still there. */
  async problems(manager: EntityManager, accountIds: readonly string[]): Promise<Map<string, BankProblem[]>> {
    const rows = (await manager.query(
      `SELECT s.id, s.bank_account_id, s.number, s.sequence, s.opening_date::text AS opening_date, s.closing_date::text AS closing_date,
              s.opening_cents, s.closing_cents, s.entries_cents, s.created_at
       FROM bank_statements s JOIN documents d ON d.id = s.document_id
       WHERE s.bank_account_id = ANY($1) AND d.removed_at IS NULL`,
      [accountIds],
    )) as Array<Record<string, string | number | Date | null>>;
    const byAccount = new Map<string, StatementSummary[]>(accountIds.map((id) => [id, []]));
    for (const row of rows) {
      byAccount.get(row.bank_account_id as string)!.push({
        id: row.id as string,
        number: row.number as string | null,
        sequence: Number(row.sequence),
        openingDate: row.opening_date as string,
        closingDate: row.closing_date as string,
        openingCents: BigInt(row.opening_cents as string),
        closingCents: BigInt(row.closing_cents as string),
        entriesCents: BigInt(row.entries_cents as string),
        receivedAt: row.created_at as Date,
      });
    }
    return new Map([...byAccount].map(([id, statements]) => [id, continuityProblems(statements)]));
  }

  /** A page of a statement's entries, in statement order. */
  async entries(statementId: string, page: PageArgs) {
    const qb = this.dataSource.getRepository(BankEntry).createQueryBuilder("e").where("e.statement_id = :statementId", { statementId });
    return paginate(qb, page, { expr: "e.position", type: "bigint", direction: "ASC", idExpr: "e.statement_id" }, this.options.maxPageSize);
  }
}

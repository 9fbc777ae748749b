// The bank statements module: statements and entries read from MT940 / CAMT.053, accounts and their continuity.
import { fetchThrough, type PortalDeskModule } from "../module.js";
import { BankAccount, BankEntry, BankStatement } from "./bank-statement.entity.js";
import { visibleStatementById } from "./bank-statement.loaders.js";
import { AdministrationBankAccountsResolver, BankAccountResolver, BankStatementResolver, DocumentBankStatementsResolver } from "./bank-statement.resolver.js";
import { BankStatementType } from "./bank-statement.types.js";
import { TELL_PROBLEMS_QUEUE } from "./bank-statement.service.js";
import { ApiScope, needs, type ScopeRules } from "../../core/api-scopes.js";

/** What API tokens need for this module's fields (core/api-scopes.ts; it has no policy file). */
const BANK_STATEMENT_SCOPES: ScopeRules = {
  "Administration.bankAccounts": needs(ApiScope.DOCUMENTS_READ),
  "node:BankStatement": needs(ApiScope.DOCUMENTS_READ),
};

export const bankStatementsModule: PortalDeskModule = {
  name: "bank-statements",
  scopes: BANK_STATEMENT_SCOPES,
  entities: [BankAccount, BankStatement, BankEntry],
  resolvers: [DocumentBankStatementsResolver, BankStatementResolver, AdministrationBankAccountsResolver, BankAccountResolver],
  nodes: { BankStatement: fetchThrough(visibleStatementById, BankStatementType.from) },
  queues: [{ name: TELL_PROBLEMS_QUEUE }],
  async jobs({ jobs, bankStatements }) {
    await jobs.work<{ bankAccountId: string }>(TELL_PROBLEMS_QUEUE, (data) => bankStatements.tellProblems(data.bankAccountId));
  },
};

import DataLoader from "dataloader";
import { byKey, groupByKey, type LoaderFactory } from "../../graphql/loaders.js";
import { visibleDocumentById } from "../documents/document.loaders.js";
import { BankAccount, BankStatement } from "./bank-statement.entity.js";
import type { BankProblem } from "./continuity.js";

/** The statements read from each document, in file order. */
export const statementsByDocument: LoaderFactory<string, BankStatement[]> = ({ dataSource }) =>
  new DataLoader(async (ids) => {
    const rows = await dataSource
      .getRepository(BankStatement)
      .createQueryBuilder("s")
      .where("s.document_id = ANY(:ids)", { ids: [...ids] })
      .orderBy("s.position")
      .getMany();
    return groupByKey(ids, rows, (s) => s.documentId);
  });

/** A statement by id, when the viewer may see the document it was read from. */
export const visibleStatementById: LoaderFactory<string, BankStatement | null> = (services, viewer) =>
  new DataLoader(async (ids) => {
    const rows = await services.dataSource
      .getRepository(BankStatement)
      .createQueryBuilder("s")
      .where("s.id = ANY(:ids)", { ids: [...ids] })
      .getMany();
    const documents = await visibleDocumentById(services, viewer).loadMany(rows.map((s) => s.documentId));
    const shown = new Set(documents.flatMap((d) => (d && !(d instanceof Error) && !d.removedAt ? [d.id] : [])));
    return ids.map((id) => rows.find((s) => s.id === id && shown.has(s.documentId)) ?? null);
  });

/** The accounts of each administration that statements were read for, by IBAN. */
export const accountsByAdministration: LoaderFactory<string, BankAccount[]> = ({ dataSource }) =>
  new DataLoader(async (ids) => {
    const rows = await dataSource
      .getRepository(BankAccount)
      .createQueryBuilder("a")
      .where("a.administration_id = ANY(:ids)", { ids: [...ids] })
      .orderBy("a.account")
      .addOrderBy("a.currency")
      .getMany();
    return groupByKey(ids, rows, (a) => a.administrationId);
  });

/** The latest statement of each account (by closing day, then number), among documents still there. */
export const lastStatementByAccount: LoaderFactory<string, BankStatement | null> = ({ dataSource }) =>
  new DataLoader(async (ids) => {
    const rows = await dataSource
      .getRepository(BankStatement)
      .createQueryBuilder("s")
      .distinctOn(["s.bank_account_id"])
      .innerJoin("documents", "d", "d.id = s.document_id AND d.removed_at IS NULL")
      .where("s.bank_account_id = ANY(:ids)", { ids: [...ids] })
      .orderBy("s.bank_account_id")
      .addOrderBy("s.closing_date", "DESC")
      .addOrderBy("s.sequence", "DESC")
      .addOrderBy("s.created_at", "DESC")
      .getMany();
    return ids.map((id) => rows.find((s) => s.bankAccountId === id) ?? null);
  });

/** The continuity problems of each account. */
export const problemsByAccount: LoaderFactory<string, BankProblem[]> = ({ dataSource, bankStatements }) =>
  new DataLoader(async (ids) => {
    const problems = await bankStatements.problems(dataSource.manager, ids);
    return ids.map((id) => problems.get(id) ?? []);
  });

/** Accounts by id (no access check: reached only from a statement or administration the viewer sees). */
export const accountById: LoaderFactory<string, BankAccount | null> = ({ dataSource }) =>
  new DataLoader(async (ids) =>
    byKey(
      ids,
      await dataSource
        .getRepository(BankAccount)
        .createQueryBuilder("a")
        .where("a.id = ANY(:ids)", { ids: [...ids] })
        .getMany(),
      (a) => a.id,
    ),
  );

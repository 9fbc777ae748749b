import { Args, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { GraphQLContext } from "../../graphql/context.js";
import { ConnectionArgs, toConnection } from "../../graphql/relay.js";
import { AdministrationType } from "../administrations/administration.types.js";
import { visibleDocumentById } from "../documents/document.loaders.js";
import { DocumentType } from "../documents/document.types.js";
import { viewerLanguage } from "../users/viewer-language.js";
import { accountById, accountsByAdministration, lastStatementByAccount, problemsByAccount, statementsByDocument } from "./bank-statement.loaders.js";
import { BankAccountType, BankEntryConnection, BankEntryType, BankProblemType, BankStatementType } from "./bank-statement.types.js";
import { problemMessage } from "./problem-text.js";

@Resolver(() => DocumentType)
export class DocumentBankStatementsResolver {
  @FieldResolver(() => [BankStatementType], {
    description: "The bank statements read from this file (MT940 or CAMT.053; a file may hold several, for several accounts). Empty for other documents.",
  })
  async bankStatements(@Root() document: DocumentType, @Ctx() ctx: GraphQLContext): Promise<BankStatementType[]> {
    return (await ctx.loaders.get(statementsByDocument).load(document.entity.id)).map(BankStatementType.from);
  }
}

@Resolver(() => BankStatementType)
export class BankStatementResolver {
  @FieldResolver(() => String, { description: "The account: its IBAN, or the bank's account number where the file gives no IBAN." })
  async account(@Root() statement: BankStatementType, @Ctx() ctx: GraphQLContext): Promise<string> {
    return (await ctx.loaders.get(accountById).load(statement.entity.bankAccountId))!.account;
  }

  @FieldResolver(() => String, { description: "Currency of the account (ISO 4217)." })
  async currency(@Root() statement: BankStatementType, @Ctx() ctx: GraphQLContext): Promise<string> {
    return (await ctx.loaders.get(accountById).load(statement.entity.bankAccountId))!.currency;
  }

  @FieldResolver(() => BankEntryConnection, { description: "Its booked entries, in statement order." })
  async entries(@Root() statement: BankStatementType, @Args(() => ConnectionArgs) page: ConnectionArgs, @Ctx() ctx: GraphQLContext) {
    return toConnection(BankEntryConnection, await ctx.services.bankStatements.entries(statement.entity.id, page), BankEntryType.from);
  }

  @FieldResolver(() => DocumentType, { nullable: true, description: "The file it was read from (null when the viewer may not see it)." })
  async document(@Root() statement: BankStatementType, @Ctx() ctx: GraphQLContext): Promise<DocumentType | null> {
    const document = await ctx.loaders.get(visibleDocumentById).load(statement.entity.documentId);
    return document ? DocumentType.from(document) : null;
  }
}

@Resolver(() => AdministrationType)
export class AdministrationBankAccountsResolver {
  @FieldResolver(() => [BankAccountType], { description: "The bank accounts statements have been handed in for, by IBAN, each with what is missing or wrong." })
  async bankAccounts(@Root() administration: AdministrationType, @Ctx() ctx: GraphQLContext): Promise<BankAccountType[]> {
    return (await ctx.loaders.get(accountsByAdministration).load(administration.entityId)).map(BankAccountType.from);
  }
}

@Resolver(() => BankAccountType)
export class BankAccountResolver {
  @FieldResolver(() => BankStatementType, { nullable: true, description: "The latest statement (by closing day) the viewer may see." })
  async lastStatement(@Root() account: BankAccountType, @Ctx() ctx: GraphQLContext): Promise<BankStatementType | null> {
    const last = await ctx.loaders.get(lastStatementByAccount).load(account.entity.id);
    const document = last ? await ctx.loaders.get(visibleDocumentById).load(last.documentId) : null;
    return last && document && !document.removedAt ? BankStatementType.from(last) : null;
  }

  @FieldResolver(() => [BankProblemType], { description: "What is missing or wrong: gaps in the numbering, balances that do not join or add up, duplicates." })
  async problems(@Root() account: BankAccountType, @Ctx() ctx: GraphQLContext): Promise<BankProblemType[]> {
    const [problems, language] = await Promise.all([ctx.loaders.get(problemsByAccount).load(account.entity.id), viewerLanguage(ctx)]);
    return problems.map((p) =>
      Object.assign(new BankProblemType(), {
        kind: p.kind,
        statementNumber: p.statementNumber,
        message: problemMessage(p, account.entity, language),
        previousClosingDate: p.before?.date ?? null,
        nextOpeningDate: p.after?.date ?? null,
        statementId: p.statementId,
      }),
    );
  }
}

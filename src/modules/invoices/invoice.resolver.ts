import { Arg, Args, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { fromGlobalId } from "../../graphql/global-id.js";
import { runPayload } from "../../graphql/payload.js";
import type { GraphQLContext } from "../../graphql/context.js";
import { ConnectionArgs, toConnection } from "../../graphql/relay.js";
import { viewerLanguage } from "../users/viewer-language.js";
import { visibleDocumentById } from "../documents/document.loaders.js";
import { DocumentType } from "../documents/document.types.js";
import { warningMessage } from "./invoice-checks.js";
import { authoritativeDocumentId, invoiceByDocument, vatLinesByInvoice } from "./invoice.loaders.js";
import {
  CorrectInvoiceFieldInput,
  InvoiceFieldType,
  InvoiceLineConnection,
  InvoiceLineType,
  InvoicePayload,
  InvoiceType,
  InvoiceVatLineType,
  InvoiceWarningType,
} from "./invoice.types.js";

@Resolver(() => DocumentType)
export class DocumentInvoiceResolver {
  @FieldResolver(() => InvoiceType, {
    nullable: true,
    description: "The invoice or credit note read from it (null when none was). A PDF that is an e-invoice's own rendition shows that e-invoice's data.",
  })
  async invoice(@Root() document: DocumentType, @Ctx() ctx: GraphQLContext): Promise<InvoiceType | null> {
    const invoice = await ctx.loaders.get(invoiceByDocument).load(document.entity.id);
    return invoice ? InvoiceType.from(invoice) : null;
  }

  @FieldResolver(() => DocumentType, {
    nullable: true,
    description: "For a PDF that is an e-invoice's own rendition: the e-invoice, the authoritative version of the same invoice.",
  })
  async authoritativeDocument(@Root() document: DocumentType, @Ctx() ctx: GraphQLContext): Promise<DocumentType | null> {
    const id = await ctx.loaders.get(authoritativeDocumentId).load(document.entity.id);
    const found = id ? await ctx.loaders.get(visibleDocumentById).load(id) : null;
    return found ? DocumentType.from(found) : null;
  }
}

@Resolver(() => InvoiceType)
export class InvoiceResolver {
  @Mutation(() => InvoicePayload, {
    description:
      "Correct a field read from a scan or PDF (staff; client users where the administration allows it). The supplier's next invoices are read with what the correction shows: where the value is printed, its usual VAT rate, its name.",
  })
  correctInvoiceField(
    @Arg("input", () => CorrectInvoiceFieldInput, { description: "The field and its right value." }) input: CorrectInvoiceFieldInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return runPayload(InvoicePayload, async () => ({
      invoice: InvoiceType.from(
        await ctx.services.invoiceCorrections.correct(ctx.viewer, { documentId: fromGlobalId(input.documentId, "Document"), name: input.field, value: input.value }),
      ),
    }));
  }

  @FieldResolver(() => [InvoiceFieldType], {
    description:
      "For an invoice read from a scan or PDF (source TEXT or OCR): each field with its confidence and where it is printed. Empty for an e-invoice, whose data is exact.",
  })
  fields(@Root() invoice: InvoiceType): InvoiceFieldType[] {
    return invoice.entity.fields.map(InvoiceFieldType.from);
  }

  @FieldResolver(() => [InvoiceVatLineType], { description: "The VAT breakdown, one line per rate and category." })
  async vatBreakdown(@Root() invoice: InvoiceType, @Ctx() ctx: GraphQLContext): Promise<InvoiceVatLineType[]> {
    return (await ctx.loaders.get(vatLinesByInvoice).load(invoice.entity.id)).map(InvoiceVatLineType.from);
  }

  @FieldResolver(() => InvoiceLineConnection, { description: "The invoice's lines, in order." })
  async lines(@Root() invoice: InvoiceType, @Args(() => ConnectionArgs) page: ConnectionArgs, @Ctx() ctx: GraphQLContext) {
    return toConnection(InvoiceLineConnection, await ctx.services.invoices.lines(invoice.entity.id, page), InvoiceLineType.from);
  }

  @FieldResolver(() => [InvoiceWarningType], { description: "What the checks found: arithmetic that does not add up, Dutch rules not met, an unrecognised direction." })
  async warnings(@Root() invoice: InvoiceType, @Ctx() ctx: GraphQLContext): Promise<InvoiceWarningType[]> {
    const language = await viewerLanguage(ctx);
    return invoice.entity.warnings.map((w) => Object.assign(new InvoiceWarningType(), { rule: w.rule, message: warningMessage(w, language) }));
  }

  @FieldResolver(() => DocumentType, { nullable: true, description: "The document it was read from." })
  async document(@Root() invoice: InvoiceType, @Ctx() ctx: GraphQLContext): Promise<DocumentType | null> {
    const found = await ctx.loaders.get(visibleDocumentById).load(invoice.entity.documentId);
    return found ? DocumentType.from(found) : null;
  }
}

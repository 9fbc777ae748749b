import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { GraphQLContext } from "../../graphql/context.js";
import { DocumentLocation, TrayKind } from "../documents/document.entity.js";
import { DocumentType } from "../documents/document.types.js";
import { invoiceByDocument } from "../invoices/invoice.loaders.js";
import { suggestedTray } from "./filing-suggestion.js";
import { usualTrayOfSupplier } from "./usual-tray.js";
import { DocumentProcessingType, SplitSuggestionType } from "./reading.types.js";

@Resolver(() => DocumentType)
export class DocumentSuggestionResolver {
  @FieldResolver(() => TrayKind, {
    nullable: true,
    description:
      "For a document on the desk whose data was read: the tray it belongs in (bank statements; receipts; purchase or sales by the invoice's direction — or the tray people usually filed the supplier's documents into). Null otherwise.",
  })
  async suggestedTray(@Root() document: DocumentType, @Ctx() ctx: GraphQLContext): Promise<TrayKind | null> {
    if (document.entity.location !== DocumentLocation.DESK) return null;
    const invoice = await ctx.loaders.get(invoiceByDocument).load(document.entity.id);
    const usual = invoice?.supplierKey ? await ctx.loaders.get(usualTrayOfSupplier).load({ administrationId: invoice.administrationId, supplierKey: invoice.supplierKey }) : null;
    return suggestedTray(document.entity.dataKind, invoice, usual);
  }

  @FieldResolver(() => DocumentProcessingType, {
    nullable: true,
    description:
      "The reading of its pages (text layer, or OCR of a scan or photo), with progress; `administrationEvents` announces TEXT_READ when it is done. Null for files without pages.",
  })
  processing(@Root() document: DocumentType): DocumentProcessingType | null {
    return DocumentProcessingType.of(document.entity);
  }

  @FieldResolver(() => [SplitSuggestionType], {
    description:
      "For a scan holding several documents: where to cut it (blank pages and separator sheets between them, page numbering starting again, a new invoice number or supplier). Empty until its pages are read, and for a single document.",
  })
  async suggestedSplits(@Root() document: DocumentType, @Ctx() ctx: GraphQLContext): Promise<SplitSuggestionType[]> {
    return (await ctx.services.pageReading.splitSuggestions(document.entity)).map(SplitSuggestionType.from);
  }
}

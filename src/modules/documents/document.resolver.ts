import { Arg, Args, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from "type-graphql";
import { DocumentFormat } from "../files/file-format.js";
import { pagesOf } from "./document-links.js";
import { requireActor } from "../../core/actor.js";
import type { GraphQLContext } from "../../graphql/context.js";
import { fromGlobalId } from "../../graphql/global-id.js";
import { runPartialPayload, runPayload } from "../../graphql/payload.js";
import { ConnectionArgs, toConnection } from "../../graphql/relay.js";
import { AdministrationType } from "../administrations/administration.types.js";
import { DuplicatePolicy } from "../administrations/administration.entity.js";
import { AuditEventConnection, AuditEventType } from "../audit/audit.types.js";
import type { AuditEvent } from "../audit/audit-event.entity.js";
import { emptyPage } from "../../db/pagination.js";
import { eventPagesBySubjectId, historyBySubjectId } from "../audit/audit.loaders.js";
import { canProcess } from "./document.policy.js";
import { userById } from "../users/user.loaders.js";
import { UserType } from "../users/user.types.js";
import { administrationById } from "../administrations/administration.loaders.js";
import { NotFoundError } from "../../core/errors.js";
import { DocumentLocation, DocumentStatus, TrayKind } from "./document.entity.js";
import { canSeeUser } from "../users/user.policy.js";
import { visibleDocumentById, documentCountsByAdministration } from "./document.loaders.js";
import { DocumentOrder } from "./document.service.js";
import {
  DeskType,
  DocumentConnection,
  DocumentFilterInput,
  DocumentIdsInput,
  DocumentPayload,
  DocumentsPayload,
  DocumentType,
  DuplicateUploadType,
  EditDocumentPagesInput,
  MergeDocumentsInput,
  FileDocumentsInput,
  RemoveDocumentInput,
  RenameDocumentInput,
  ReturnDocumentInput,
  TrayDocumentsArgs,
  TrayType,
  UpdateDocumentDetailsInput,
  UploadDocumentsInput,
  UploadDocumentsPayload,
} from "./document.types.js";

const ids = (globalIds: string[]) => globalIds.map((id) => fromGlobalId(id, "Document"));

@Resolver(() => DocumentType)
export class DocumentResolver {
  @Mutation(() => UploadDocumentsPayload, {
    description: "Upload files (multipart) onto the desk, or straight into a tray. Good files are kept; refused files are reported per file.",
  })
  async uploadDocuments(@Arg("input", () => UploadDocumentsInput, { description: "The files and where they go." }) input: UploadDocumentsInput, @Ctx() ctx: GraphQLContext) {
    return runPartialPayload(UploadDocumentsPayload, { documents: [], duplicates: [] }, async () => {
      const result = await ctx.services.documents.upload(ctx.viewer, {
        administrationId: fromGlobalId(input.administrationId, "Administration"),
        files: input.files,
        tray: input.tray,
        folderId: input.folderId ? fromGlobalId(input.folderId, "ArchiveFolder") : null,
      });
      const duplicates = result.duplicates.map((d) =>
        Object.assign(new DuplicateUploadType(), { index: d.index, filename: d.filename, duplicateOf: d.duplicateOf ? DocumentType.from(d.duplicateOf) : null }),
      );
      return { done: { documents: result.documents.map(DocumentType.from), duplicates }, refused: result.errors };
    });
  }

  @Mutation(() => DocumentsPayload, { description: "File documents from the desk into a tray: all of them or none." })
  fileDocuments(@Arg("input", () => FileDocumentsInput, { description: "Which documents, and where." }) input: FileDocumentsInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(DocumentsPayload, async () => ({
      documents: (
        await ctx.services.documents.file(ctx.viewer, {
          documentIds: ids(input.documentIds),
          tray: input.tray,
          folderId: input.folderId ? fromGlobalId(input.folderId, "ArchiveFolder") : null,
        })
      ).map(DocumentType.from),
    }));
  }

  @Mutation(() => DocumentsPayload, { description: "Take filed documents back to the desk, while the firm has not processed them." })
  returnDocumentsToDesk(@Arg("input", () => DocumentIdsInput, { description: "Which documents." }) input: DocumentIdsInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(DocumentsPayload, async () => ({ documents: (await ctx.services.documents.withdraw(ctx.viewer, ids(input.documentIds))).map(DocumentType.from) }));
  }

  @Mutation(() => DocumentsPayload, { description: "The firm has booked these documents (staff, API tokens). They become immutable." })
  markDocumentsProcessed(@Arg("input", () => DocumentIdsInput, { description: "Which documents." }) input: DocumentIdsInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(DocumentsPayload, async () => ({ documents: (await ctx.services.documents.markProcessed(ctx.viewer, ids(input.documentIds))).map(DocumentType.from) }));
  }

  @Mutation(() => DocumentPayload, { description: "Send a document back to the client's desk with a reason (staff, API tokens); the client is notified." })
  returnDocument(@Arg("input", () => ReturnDocumentInput, { description: "Which document, and why." }) input: ReturnDocumentInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(DocumentPayload, async () => ({
      document: DocumentType.from(await ctx.services.documents.returnToClient(ctx.viewer, { documentId: fromGlobalId(input.documentId, "Document"), reason: input.reason })),
    }));
  }

  @Mutation(() => DocumentPayload, { description: "Rename a document (until it is processed)." })
  renameDocument(@Arg("input", () => RenameDocumentInput, { description: "Which document, and its new name." }) input: RenameDocumentInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(DocumentPayload, async () => ({
      document: DocumentType.from(await ctx.services.documents.rename(ctx.viewer, { documentId: fromGlobalId(input.documentId, "Document"), filename: input.filename })),
    }));
  }

  @Mutation(() => DocumentPayload, { description: "Set a document's notes and date (until it is processed)." })
  updateDocumentDetails(
    @Arg("input", () => UpdateDocumentDetailsInput, { description: "Which document, and what to set." }) input: UpdateDocumentDetailsInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return runPayload(DocumentPayload, async () => ({
      document: DocumentType.from(
        await ctx.services.documents.updateDetails(ctx.viewer, { documentId: fromGlobalId(input.documentId, "Document"), notes: input.notes, documentDate: input.documentDate }),
      ),
    }));
  }

  @Mutation(() => DocumentPayload, { description: "Remove a document (until it is processed)." })
  removeDocument(@Arg("input", () => RemoveDocumentInput, { description: "Which document." }) input: RemoveDocumentInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(DocumentPayload, async () => ({
      document: DocumentType.from(await ctx.services.documents.remove(ctx.viewer, fromGlobalId(input.documentId, "Document"))),
    }));
  }

  @Mutation(() => DocumentsPayload, {
    description: "Sort a scan: make new documents from the pages of one (split, drop, reorder, rotate). The original is kept in the history.",
  })
  editDocumentPages(@Arg("input", () => EditDocumentPagesInput, { description: "The source and the outputs." }) input: EditDocumentPagesInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(DocumentsPayload, async () => ({
      documents: (await ctx.services.pages.editPages(ctx.viewer, { documentId: fromGlobalId(input.documentId, "Document"), outputs: input.outputs })).map(DocumentType.from),
    }));
  }

  @Mutation(() => DocumentPayload, { description: "Merge documents (PDFs, images) into one PDF in the first one's place. The originals are kept in the history." })
  mergeDocuments(@Arg("input", () => MergeDocumentsInput, { description: "The documents, in order, and a name." }) input: MergeDocumentsInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(DocumentPayload, async () => ({
      document: DocumentType.from(await ctx.services.pages.merge(ctx.viewer, { documentIds: ids(input.documentIds), filename: input.filename })),
    }));
  }

  @FieldResolver(() => AdministrationType, { description: "The administration it belongs to." })
  async administration(@Root() document: DocumentType, @Ctx() ctx: GraphQLContext): Promise<AdministrationType> {
    const administration = await ctx.loaders.get(administrationById).load(document.entity.administrationId);
    if (!administration) throw new NotFoundError("Administration");
    return AdministrationType.from(administration);
  }

  @FieldResolver(() => UserType, { nullable: true, description: "Who uploaded it (null for an integration)." })
  async uploadedBy(@Root() document: DocumentType, @Ctx() ctx: GraphQLContext): Promise<UserType | null> {
    if (!document.entity.uploadedByUserId) return null;
    const user = await ctx.loaders.get(userById).load(document.entity.uploadedByUserId);
    return user && canSeeUser(requireActor(ctx.viewer), user) ? UserType.from(user) : null;
  }

  @FieldResolver(() => DocumentType, { nullable: true, description: "An earlier document with the same content (duplicate policy WARN)." })
  async duplicateOf(@Root() document: DocumentType, @Ctx() ctx: GraphQLContext): Promise<DocumentType | null> {
    if (!document.entity.duplicateOfId) return null;
    const earlier = await ctx.loaders.get(visibleDocumentById).load(document.entity.duplicateOfId);
    return earlier ? DocumentType.from(earlier) : null;
  }

  @FieldResolver(() => [DocumentType], { description: "The documents this one was made from by page editing or merging." })
  async derivedFrom(@Root() document: DocumentType, @Ctx() ctx: GraphQLContext): Promise<DocumentType[]> {
    const sources = await ctx.loaders.get(visibleDocumentById).loadMany(document.entity.derivedFromIds);
    return sources.flatMap((s) => (s && !(s instanceof Error) ? [DocumentType.from(s)] : []));
  }

  @FieldResolver(() => String, { description: "A short-lived signed URL that downloads the file (honours Range)." })
  downloadUrl(
    @Root() document: DocumentType,
    @Ctx() ctx: GraphQLContext,
    @Arg("inline", () => Boolean, { defaultValue: false, description: "Show in the browser instead of saving." }) inline: boolean,
  ): string {
    const d = document.entity;
    return ctx.services.links.url({ kind: "d", subjectId: d.id, sha256: d.sha256, disposition: inline ? "inline" : "attachment" }, d.filename);
  }

  @FieldResolver(() => [String], {
    description:
      "Signed URLs of a PNG of each page (the first 200), made on request: of the file itself, or for an e-invoice of its preview PDF; empty for bank statements and HEIC.",
  })
  pageImageUrls(@Root() document: DocumentType, @Ctx() ctx: GraphQLContext): string[] {
    const d = document.entity;
    const pages = pagesOf(d);
    if (!pages) return [];
    return Array.from({ length: Math.min(pages.count, 200) }, (_, i) =>
      ctx.services.links.url({ kind: "p", subjectId: d.id, sha256: pages.key, disposition: "inline", page: i + 1 }, `${d.filename}-${i + 1}.png`),
    );
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "A signed URL of a PDF that shows the document: the file itself for a PDF; for an e-invoice the PDF it carries, or one drawn from its data. Null for images and bank statements.",
  })
  previewUrl(@Root() document: DocumentType, @Ctx() ctx: GraphQLContext): string | null {
    const d = document.entity;
    if (d.format === DocumentFormat.PDF) return ctx.services.links.url({ kind: "d", subjectId: d.id, sha256: d.sha256, disposition: "inline" }, d.filename);
    if (!d.previewSha256) return null;
    return ctx.services.links.url({ kind: "v", subjectId: d.id, sha256: d.previewSha256, disposition: "inline" }, `${d.filename}.pdf`);
  }

  @FieldResolver(() => String, { nullable: true, description: "A signed URL of a PNG of the first page; null until it has been made." })
  thumbnailUrl(@Root() document: DocumentType, @Ctx() ctx: GraphQLContext): string | null {
    const d = document.entity;
    if (!d.thumbnailSha256) return null;
    return ctx.services.links.url({ kind: "t", subjectId: d.id, sha256: d.thumbnailSha256, disposition: "inline" }, `${d.filename}.png`);
  }

  @FieldResolver(() => [AuditEventType], {
    description: "What happened to it, oldest first (the firm's staff; empty for client users, as the audit trail).",
    deprecationReason: "Use `events`, a connection that pages (`history` lists every event at once).",
  })
  async history(@Root() document: DocumentType, @Ctx() ctx: GraphQLContext): Promise<AuditEventType[]> {
    if (!canProcess(requireActor(ctx.viewer))) return [];
    return (await ctx.loaders.get(historyBySubjectId).load(document.entity.id)).map(AuditEventType.from);
  }

  @FieldResolver(() => AuditEventConnection, { description: "What happened to it, oldest first, a page at a time (the firm's staff; empty for client users, as the audit trail)." })
  async events(@Root() document: DocumentType, @Args(() => ConnectionArgs) page: ConnectionArgs, @Ctx() ctx: GraphQLContext) {
    const events = canProcess(requireActor(ctx.viewer)) ? await ctx.loaders.get(eventPagesBySubjectId).load({ id: document.entity.id, page }) : emptyPage<AuditEvent>();
    return toConnection(AuditEventConnection, events, AuditEventType.from);
  }
}

@Resolver(() => AdministrationType)
export class AdministrationDocumentsResolver {
  @FieldResolver(() => DuplicatePolicy, { description: "What an upload of content already in the administration does." })
  duplicatePolicy(@Root() administration: AdministrationType): DuplicatePolicy {
    return administration.duplicatePolicy;
  }

  @FieldResolver(() => DeskType, { description: "The client's desk." })
  desk(@Root() administration: AdministrationType): DeskType {
    return Object.assign(new DeskType(), { administrationId: administration.entityId });
  }

  @FieldResolver(() => [TrayType], { description: "The trays, in fixed order: PURCHASE, SALES, RECEIPTS, BANK_STATEMENTS, ARCHIVE." })
  trays(@Root() administration: AdministrationType): TrayType[] {
    return Object.values(TrayKind).map((kind) => Object.assign(new TrayType(), { kind, administrationId: administration.entityId }));
  }

  @FieldResolver(() => DocumentConnection, { description: "Documents of the administration, filtered and ordered." })
  async documents(
    @Root() administration: AdministrationType,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg("filter", () => DocumentFilterInput, { nullable: true, description: "Narrow the list." }) filter: DocumentFilterInput | null,
    @Arg("orderBy", () => DocumentOrder, { defaultValue: DocumentOrder.UPLOADED_AT_DESC, description: "Order." }) orderBy: DocumentOrder,
    @Ctx() ctx: GraphQLContext,
  ) {
    const { uploadedBy, ...rest } = filter ?? {};
    const result = await ctx.services.documents.list(
      ctx.viewer,
      administration.entityId,
      { ...rest, uploadedByUserId: uploadedBy ? fromGlobalId(uploadedBy, "User") : null },
      page,
      orderBy,
    );
    return toConnection(DocumentConnection, result, DocumentType.from);
  }
}

@Resolver(() => DeskType)
export class DeskResolver {
  @FieldResolver(() => Int, { description: "Documents on the desk (the client's to-do; 0 means done)." })
  async documentCount(@Root() desk: DeskType, @Ctx() ctx: GraphQLContext): Promise<number> {
    return (await ctx.loaders.get(documentCountsByAdministration).load(desk.administrationId)).count("DESK");
  }

  @FieldResolver(() => DocumentConnection, { description: "The documents on the desk, newest first." })
  async documents(@Root() desk: DeskType, @Args(() => ConnectionArgs) page: ConnectionArgs, @Ctx() ctx: GraphQLContext) {
    const result = await ctx.services.documents.list(ctx.viewer, desk.administrationId, { location: DocumentLocation.DESK }, page);
    return toConnection(DocumentConnection, result, DocumentType.from);
  }
}

@Resolver(() => TrayType)
export class TrayResolver {
  @FieldResolver(() => Int, { description: "Documents in the tray (optionally with one status)." })
  async documentCount(
    @Root() tray: TrayType,
    @Arg("status", () => DocumentStatus, { nullable: true, description: "Only this status (e.g. SUBMITTED: the firm's to-do)." }) status: DocumentStatus | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<number> {
    return (await ctx.loaders.get(documentCountsByAdministration).load(tray.administrationId)).count(tray.kind, status);
  }

  @FieldResolver(() => DocumentConnection, { description: "The documents in the tray, newest first." })
  async documents(@Root() tray: TrayType, @Args(() => TrayDocumentsArgs) args: TrayDocumentsArgs, @Ctx() ctx: GraphQLContext) {
    const { status, ...page } = args;
    const result = await ctx.services.documents.list(ctx.viewer, tray.administrationId, { tray: tray.kind, status }, page);
    return toConnection(DocumentConnection, result, DocumentType.from);
  }
}

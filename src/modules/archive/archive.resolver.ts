import { Arg, Args, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from "type-graphql";
import { requireActor } from "../../core/actor.js";
import { NotFoundError, UserError, UserErrorCode } from "../../core/errors.js";
import type { GraphQLContext } from "../../graphql/context.js";
import { fromGlobalId } from "../../graphql/global-id.js";
import { runPayload } from "../../graphql/payload.js";
import { ConnectionArgs, toConnection } from "../../graphql/relay.js";
import { AdministrationType } from "../administrations/administration.types.js";
import { AuditEventConnection, AuditEventType } from "../audit/audit.types.js";
import type { AuditEvent } from "../audit/audit-event.entity.js";
import { emptyPage } from "../../db/pagination.js";
import { DocumentConnection, DocumentsPayload, DocumentType } from "../documents/document.types.js";
import { UserType } from "../users/user.types.js";
import { archiveRootByAdministration, documentCountByFolder, effectiveAccessByFolder, folderById, folderPathById, viewerFolderAccess, visibleChildren } from "./archive.loaders.js";
import { administrationById } from "../administrations/administration.loaders.js";
import { eventPagesBySubjectId, historyBySubjectId } from "../audit/audit.loaders.js";
import { seesWholeArchive } from "./archive.policy.js";
import {
  ArchiveFolderPayload,
  ArchiveFolderType,
  CreateArchiveFolderInput,
  DeleteArchiveFolderInput,
  FolderAccessEntryType,
  MoveArchiveFolderInput,
  MoveDocumentsToFolderInput,
  RenameArchiveFolderInput,
  SetArchiveFolderAccessInput,
} from "./archive.types.js";

import { FolderAccess } from "./archive-grant.entity.js";

const folderId = (id: string) => fromGlobalId(id, "ArchiveFolder");

/** The folder with the viewer's access to it, or null when the viewer may not see it (batched). */
async function visibleFolder(ctx: GraphQLContext, id: string): Promise<ArchiveFolderType | null> {
  const [folder, access] = await Promise.all([ctx.loaders.get(folderById).load(id), ctx.loaders.get(viewerFolderAccess).load(id)]);
  return folder && access ? ArchiveFolderType.from(folder, access) : null;
}

@Resolver(() => ArchiveFolderType)
export class ArchiveFolderResolver {
  @FieldResolver(() => ArchiveFolderType, { nullable: true, description: "The parent folder (null for the root)." })
  async parent(@Root() folder: ArchiveFolderType, @Ctx() ctx: GraphQLContext): Promise<ArchiveFolderType | null> {
    return folder.entity.parentId ? visibleFolder(ctx, folder.entity.parentId) : null;
  }

  @FieldResolver(() => [ArchiveFolderType], { description: "Subfolders the viewer may see, by name." })
  async children(@Root() folder: ArchiveFolderType, @Ctx() ctx: GraphQLContext): Promise<ArchiveFolderType[]> {
    return (await ctx.loaders.get(visibleChildren).load(folder.entity.id)).map((c) => ArchiveFolderType.from(c.folder, c.access));
  }

  @FieldResolver(() => [String], { description: "Names from the root down to this folder." })
  path(@Root() folder: ArchiveFolderType, @Ctx() ctx: GraphQLContext): Promise<string[]> {
    return ctx.loaders.get(folderPathById).load(folder.entity.id);
  }

  @FieldResolver(() => Int, { description: "Documents in this folder (not in subfolders)." })
  documentCount(@Root() folder: ArchiveFolderType, @Ctx() ctx: GraphQLContext): Promise<number> {
    return ctx.loaders.get(documentCountByFolder).load(folder.entity.id);
  }

  @FieldResolver(() => DocumentConnection, { description: "Documents in this folder, newest first." })
  async documents(@Root() folder: ArchiveFolderType, @Args(() => ConnectionArgs) page: ConnectionArgs, @Ctx() ctx: GraphQLContext) {
    const result = await ctx.services.documents.list(ctx.viewer, folder.entity.administrationId, { folderId: folder.entity.id }, page);
    return toConnection(DocumentConnection, result, DocumentType.from);
  }

  @FieldResolver(() => AdministrationType, { description: "The administration." })
  async administration(@Root() folder: ArchiveFolderType, @Ctx() ctx: GraphQLContext): Promise<AdministrationType> {
    // Visible through the folder, which was checked (a visible folder's administration is).
    return AdministrationType.from((await ctx.loaders.get(administrationById).load(folder.entity.administrationId))!);
  }

  @FieldResolver(() => [FolderAccessEntryType], { description: "Each client user's effective access here (staff only)." })
  async access(@Root() folder: ArchiveFolderType, @Ctx() ctx: GraphQLContext): Promise<FolderAccessEntryType[]> {
    const entries = await ctx.loaders.get(effectiveAccessByFolder).load(folder.entity);
    return entries.map((e) => Object.assign(new FolderAccessEntryType(), { user: UserType.from(e.user), access: e.access, explicit: e.explicit }));
  }

  @FieldResolver(() => [AuditEventType], {
    description: "Changes to this folder and its access, oldest first (staff only).",
    deprecationReason: "Use `events`, a connection that pages (`history` lists every event at once).",
  })
  async history(@Root() folder: ArchiveFolderType, @Ctx() ctx: GraphQLContext): Promise<AuditEventType[]> {
    if (!seesWholeArchive(requireActor(ctx.viewer))) return [];
    return (await ctx.loaders.get(historyBySubjectId).load(folder.entity.id)).map(AuditEventType.from);
  }

  @FieldResolver(() => AuditEventConnection, { description: "Changes to this folder and its access, oldest first, a page at a time (staff; empty for client users)." })
  async events(@Root() folder: ArchiveFolderType, @Args(() => ConnectionArgs) page: ConnectionArgs, @Ctx() ctx: GraphQLContext) {
    const events = seesWholeArchive(requireActor(ctx.viewer)) ? await ctx.loaders.get(eventPagesBySubjectId).load({ id: folder.entity.id, page }) : emptyPage<AuditEvent>();
    return toConnection(AuditEventConnection, events, AuditEventType.from);
  }

  @Mutation(() => ArchiveFolderPayload, { description: "Create a folder (clients: CONTRIBUTE on the parent)." })
  createArchiveFolder(@Arg("input", () => CreateArchiveFolderInput, { description: "Where and what." }) input: CreateArchiveFolderInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(ArchiveFolderPayload, async () => {
      const folder = await ctx.services.archive.create(ctx.viewer, { ...input, parentId: folderId(input.parentId) });
      return { folder: ArchiveFolderType.from(folder, await this.accessOf(ctx, folder.id)) };
    });
  }

  @Mutation(() => ArchiveFolderPayload, { description: "Rename a folder (clients: MANAGE)." })
  renameArchiveFolder(@Arg("input", () => RenameArchiveFolderInput, { description: "Which, and the new name." }) input: RenameArchiveFolderInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(ArchiveFolderPayload, async () => {
      const folder = await ctx.services.archive.rename(ctx.viewer, { folderId: folderId(input.folderId), name: input.name });
      return { folder: ArchiveFolderType.from(folder, await this.accessOf(ctx, folder.id)) };
    });
  }

  @Mutation(() => ArchiveFolderPayload, { description: "Move a folder under another (clients: MANAGE on it, CONTRIBUTE on the new parent); never into itself." })
  moveArchiveFolder(@Arg("input", () => MoveArchiveFolderInput, { description: "Which, and where to." }) input: MoveArchiveFolderInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(ArchiveFolderPayload, async () => {
      const folder = await ctx.services.archive.move(ctx.viewer, { folderId: folderId(input.folderId), parentId: folderId(input.parentId) });
      return { folder: ArchiveFolderType.from(folder, await this.accessOf(ctx, folder.id)) };
    });
  }

  @Mutation(() => ArchiveFolderPayload, { description: "Delete a folder: when empty, or moving its contents up first. Nothing is lost." })
  deleteArchiveFolder(
    @Arg("input", () => DeleteArchiveFolderInput, { description: "Which, and what to do with its contents." }) input: DeleteArchiveFolderInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return runPayload(ArchiveFolderPayload, async () => {
      const folder = await ctx.services.archive.delete(ctx.viewer, { folderId: folderId(input.folderId), moveContentsUp: input.moveContentsUp });
      return { folder: ArchiveFolderType.from(folder, FolderAccess.NONE) };
    });
  }

  @Mutation(() => ArchiveFolderPayload, { description: "Set who may do what in a folder (staff only); inherited down the tree." })
  setArchiveFolderAccess(
    @Arg("input", () => SetArchiveFolderAccessInput, { description: "The folder, who, and the access." }) input: SetArchiveFolderAccessInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return runPayload(ArchiveFolderPayload, async () => {
      if (Boolean(input.userId) === Boolean(input.allClients)) {
        throw new UserError(UserErrorCode.INVALID, { en: "Give either a userId or allClients: true", nl: "Geef óf een userId óf allClients: true op" }, ["userId"]);
      }
      const folder = await ctx.services.archive.setAccess(ctx.viewer, {
        folderId: folderId(input.folderId),
        userId: input.userId ? fromGlobalId(input.userId, "User") : null,
        access: input.access ?? null,
      });
      return { folder: ArchiveFolderType.from(folder, FolderAccess.MANAGE) };
    });
  }

  @Mutation(() => DocumentsPayload, { description: "Move archive documents to another folder (clients: MANAGE where they are, CONTRIBUTE where they go)." })
  moveDocumentsToFolder(
    @Arg("input", () => MoveDocumentsToFolderInput, { description: "Which documents, and where." }) input: MoveDocumentsToFolderInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return runPayload(DocumentsPayload, async () => ({
      documents: (
        await ctx.services.documents.moveToFolder(ctx.viewer, { documentIds: input.documentIds.map((id) => fromGlobalId(id, "Document")), folderId: folderId(input.folderId) })
      ).map(DocumentType.from),
    }));
  }

  private async accessOf(ctx: GraphQLContext, id: string): Promise<FolderAccess> {
    return (await ctx.loaders.get(viewerFolderAccess).load(id)) ?? FolderAccess.NONE;
  }
}

@Resolver(() => AdministrationType)
export class AdministrationArchiveResolver {
  @FieldResolver(() => ArchiveFolderType, { nullable: true, description: "The archive's root folder (null when the viewer may see none of it)." })
  async archive(@Root() administration: AdministrationType, @Ctx() ctx: GraphQLContext): Promise<ArchiveFolderType | null> {
    const root = await ctx.loaders.get(archiveRootByAdministration).load(administration.entityId);
    return root ? ArchiveFolderType.from(root.folder, root.access) : null;
  }
}

@Resolver(() => DocumentType)
export class DocumentFolderResolver {
  @FieldResolver(() => ArchiveFolderType, { nullable: true, description: "The archive folder, for documents in the ARCHIVE tray." })
  async folder(@Root() document: DocumentType, @Ctx() ctx: GraphQLContext): Promise<ArchiveFolderType | null> {
    if (!document.entity.folderId) return null;
    // A visible archive document's folder is visible by the policy's rule.
    const folder = await visibleFolder(ctx, document.entity.folderId);
    if (!folder) throw new NotFoundError("ArchiveFolder");
    return folder;
  }
}

import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { toGlobalId } from "../../graphql/global-id.js";
import { type PayloadBase, UserErrorType } from "../../graphql/payload.js";
import { Node } from "../../graphql/relay.js";
import { DateTime } from "../../graphql/scalars.js";
import { UserType } from "../users/user.types.js";
import type { ArchiveFolder } from "./archive-folder.entity.js";
import { FolderAccess } from "./archive-grant.entity.js";

registerEnumType(FolderAccess, {
  name: "FolderAccess",
  description: "What a client user may do in an archive folder (staff may do everything).",
  valuesConfig: {
    NONE: { description: "The folder does not exist for them." },
    VIEW: { description: "See the folder and its documents, download them." },
    CONTRIBUTE: { description: "Also add documents and subfolders." },
    MANAGE: { description: "Also rename, move and delete within." },
  },
});

@ObjectType("ArchiveFolder", { implements: Node, description: "A folder of an administration's archive (electronic dossier)." })
export class ArchiveFolderType extends Node {
  @Field(() => String, {
    description: "The folder's name: unique, ignoring case, among the siblings the person naming it can see (a hidden folder never blocks, nor reveals, a name).",
  })
  name: string;

  @Field(() => Boolean, { description: "Documents here are kept 10 years instead of 7 (real estate)." })
  realEstate: boolean;

  @Field(() => FolderAccess, { description: "What the viewer may do here." })
  viewerAccess: FolderAccess;

  @Field(() => DateTime, { description: "When it was created." })
  createdAt: Date;

  @Field(() => DateTime, { description: "When it was last changed." })
  updatedAt: Date;

  entity: ArchiveFolder;

  static from(folder: ArchiveFolder, viewerAccess: FolderAccess): ArchiveFolderType {
    return Object.assign(new ArchiveFolderType(), {
      id: toGlobalId("ArchiveFolder", folder.id),
      entity: folder,
      name: folder.name,
      realEstate: folder.realEstate,
      viewerAccess,
      createdAt: folder.createdAt,
      updatedAt: folder.updatedAt,
    });
  }
}

@ObjectType("FolderAccessEntry", { description: "A client user's effective access to a folder." })
export class FolderAccessEntryType {
  @Field(() => UserType, { description: "The client user." })
  user: UserType;

  @Field(() => FolderAccess, { description: "What they may do here." })
  access: FolderAccess;

  @Field(() => Boolean, { description: "True when a grant on this folder decides it; false when inherited from above." })
  explicit: boolean;
}

@InputType("CreateArchiveFolderInput", { description: "A new folder." })
export class CreateArchiveFolderInput {
  @Field(() => ID, { description: "The parent folder." })
  parentId: string;

  @Field(() => String, { description: "The name." })
  name: string;

  @Field(() => Boolean, { nullable: true, description: "Real estate: documents kept 10 years (staff only)." })
  realEstate?: boolean | null;
}

@InputType("RenameArchiveFolderInput", { description: "Rename a folder." })
export class RenameArchiveFolderInput {
  @Field(() => ID, { description: "The folder." })
  folderId: string;

  @Field(() => String, { description: "The new name." })
  name: string;
}

@InputType("MoveArchiveFolderInput", { description: "Move a folder (with all it holds) under another folder." })
export class MoveArchiveFolderInput {
  @Field(() => ID, { description: "The folder." })
  folderId: string;

  @Field(() => ID, { description: "The new parent folder (not inside the folder itself)." })
  parentId: string;
}

@InputType("DeleteArchiveFolderInput", { description: "Delete a folder." })
export class DeleteArchiveFolderInput {
  @Field(() => ID, { description: "The folder." })
  folderId: string;

  @Field(() => Boolean, { nullable: true, description: "Move its documents and subfolders up to its parent first (else it must be empty)." })
  moveContentsUp?: boolean | null;
}

@InputType("SetArchiveFolderAccessInput", { description: "Grant (or withdraw the grant of) access to a folder; staff only." })
export class SetArchiveFolderAccessInput {
  @Field(() => ID, { description: "The folder." })
  folderId: string;

  @Field(() => ID, { nullable: true, description: "A client user of the administration; omit with allClients." })
  userId?: string | null;

  @Field(() => Boolean, { nullable: true, description: "The default for all client users of the administration." })
  allClients?: boolean | null;

  @Field(() => FolderAccess, { nullable: true, description: "The access; null removes the grant (inherit from above again)." })
  access?: FolderAccess | null;
}

@InputType("MoveDocumentsToFolderInput", { description: "Move archive documents to another folder." })
export class MoveDocumentsToFolderInput {
  @Field(() => [ID], { description: "The documents (in the archive)." })
  documentIds: string[];

  @Field(() => ID, { description: "The folder to move them to." })
  folderId: string;
}

@ObjectType("ArchiveFolderPayload", { description: "The folder after the change." })
export class ArchiveFolderPayload implements PayloadBase {
  @Field(() => ArchiveFolderType, { nullable: true, description: "The folder (for a deletion: as it was)." })
  folder: ArchiveFolderType | null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

export enum FolderAccess {
  NONE = "NONE",
  VIEW = "VIEW",
  CONTRIBUTE = "CONTRIBUTE",
  MANAGE = "MANAGE",
}

export const ACCESS_RANK: Record<FolderAccess, number> = { NONE: 0, VIEW: 1, CONTRIBUTE: 2, MANAGE: 3 };

/** An explicit access grant on a folder, for one client user or (userId null) all of them. */
@Entity({ name: "archive_folder_grants" })
export class ArchiveFolderGrant {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  folderId: string;

  @Column({ type: "uuid", nullable: true })
  userId: string | null;

  @Column({ type: "varchar", length: 12 })
  access: FolderAccess;

  @Column({ type: "timestamptz" })
  updatedAt: Date;

  @Column({ type: "varchar", length: 320 })
  updatedByLabel: string;
}

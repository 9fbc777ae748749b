import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";

/** A folder of an administration's archive (electronic dossier). */
@Entity({ name: "archive_folders" })
export class ArchiveFolder {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  firmId: string;

  @Column({ type: "uuid" })
  administrationId: string;

  @Column({ type: "uuid", nullable: true })
  parentId: string | null;

  @Column({ type: "varchar", length: 200 })
  name: string;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @UpdateDateColumn({ type: "timestamptz" })
  updatedAt: Date;
}

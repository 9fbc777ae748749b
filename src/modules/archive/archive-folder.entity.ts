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

  /** Documents in real-estate folders are kept 10 years instead of 7. */
  @Column({ type: "boolean" })
  realEstate: boolean;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @UpdateDateColumn({ type: "timestamptz" })
  updatedAt: Date;
}

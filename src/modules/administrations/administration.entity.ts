import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";

/** What an upload of content already in the administration does. */
export enum DuplicatePolicy {
  /** Refuse the upload and name the earlier document. */
  REJECT = "REJECT",
  /** Keep it, flagged with `duplicateOf`. */
  WARN = "WARN",
  /** Keep it without comment. */
  ALLOW = "ALLOW",
}

/** One client business whose books the firm keeps. */
@Entity({ name: "administrations" })
export class Administration {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  firmId: string;

  @Column({ type: "varchar", length: 200 })
  name: string;

  @Column({ type: "varchar", length: 20, nullable: true })
  vatNumber: string | null;

  @Column({ type: "varchar", length: 8, nullable: true })
  chamberOfCommerceNumber: string | null;

  @Column({ type: "boolean" })
  portalEnabled: boolean;

  /** Whether the administration's client users see its financial figures. */
  @Column({ type: "boolean" })
  figuresVisible: boolean;

  /** What an upload of content already in this administration does: REJECT, WARN or ALLOW. */
  @Column({ type: "varchar", length: 10 })
  duplicatePolicy: DuplicatePolicy;

  /** The financial year ends on this month and day (default 31 December). */
  @Column({ type: "smallint" })
  financialYearEndMonth: number;

  @Column({ type: "smallint" })
  financialYearEndDay: number;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @UpdateDateColumn({ type: "timestamptz" })
  updatedAt: Date;
}

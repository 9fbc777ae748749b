import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";

export enum ReportKind {
  BALANCE_SHEET = "BALANCE_SHEET",
  PROFIT_AND_LOSS = "PROFIT_AND_LOSS",
  OPEN_RECEIVABLES = "OPEN_RECEIVABLES",
  OPEN_PAYABLES = "OPEN_PAYABLES",
  VAT_OVERVIEW = "VAT_OVERVIEW",
  ANNUAL_ACCOUNTS = "ANNUAL_ACCOUNTS",
  OTHER = "OTHER",
}

/** A report the firm hands to an administration's clients (its file lives in `ReportVersion`s). */
@Entity({ name: "reports" })
export class Report {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  firmId: string;

  @Column({ type: "uuid" })
  administrationId: string;

  @Column({ type: "varchar", length: 20 })
  kind: ReportKind;

  @Column({ type: "varchar", length: 200 })
  title: string;

  @Column({ type: "date" })
  periodStart: string;

  @Column({ type: "date" })
  periodEnd: string;

  @Column({ type: "timestamptz" })
  publishAt: Date;

  @Column({ type: "timestamptz", nullable: true })
  announcedAt: Date | null;

  @Column({ type: "timestamptz", nullable: true })
  withdrawnAt: Date | null;

  @Column({ type: "varchar", length: 320, nullable: true })
  withdrawnByLabel: string | null;

  @Column({ type: "int" })
  version: number;

  @Column({ type: "varchar", length: 320 })
  createdByLabel: string;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @UpdateDateColumn({ type: "timestamptz" })
  updatedAt: Date;
}

/** One file of a report; a replacement adds the next version. */
@Entity({ name: "report_versions" })
export class ReportVersion {
  @PrimaryColumn({ type: "uuid" })
  reportId: string;

  @PrimaryColumn({ type: "int" })
  version: number;

  @Column({ type: "char", length: 64 })
  sha256: string;

  @Column({ type: "varchar", length: 255 })
  filename: string;

  @Column({ type: "bigint", transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  byteSize: number;

  @Column({ type: "int", nullable: true })
  pageCount: number | null;

  @Column({ type: "varchar", length: 320 })
  uploadedByLabel: string;

  @CreateDateColumn({ type: "timestamptz" })
  uploadedAt: Date;
}

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

/** What happens to a document whose data was read (an e-invoice, a bank statement) while it is on the desk. */
export enum DataFiling {
  /** Its tray is suggested on the card (`Document.suggestedTray`); the client files it. */
  SUGGEST = "SUGGEST",
  /** It goes into its tray by itself, as the system's act; the client can take it back until it is processed. */
  AUTO_FILE = "AUTO_FILE",
}

/** How often a return is filed: monthly, quarterly, or not at all (the firm does not file it for them). */
export enum FilingFrequency {
  MONTHLY = "MONTHLY",
  QUARTERLY = "QUARTERLY",
  NONE = "NONE",
}

/** What mail to its mail-in address from someone who may not hand in documents there does. */
export enum StrangerMail {
  /** It waits in a quarantine list staff review: put its attachments on the desk, or discard it. */
  QUARANTINE = "QUARANTINE",
  /** It is refused in the SMTP dialogue (its sender's server tells them why). */
  REFUSE = "REFUSE",
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

  /** What VAT returns are filed under (9 digits, B, 2 digits); null: the btw-id without "NL". Differs for sole traders. */
  @Column({ type: "varchar", length: 12, nullable: true })
  omzetbelastingnummer: string | null;

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

  @Column({ type: "varchar", length: 10 })
  dataFiling: DataFiling;

  /** The secret part of its mail-in address (null until the address is first shown). */
  @Column({ type: "varchar", length: 24, nullable: true })
  inboundEmailKey: string | null;

  /** What mail from someone who is not a member (nor the firm's staff) does. */
  @Column({ type: "varchar", length: 10, default: StrangerMail.QUARANTINE })
  mailFromStrangers: StrangerMail;

  /** Whether a mail without attachments becomes a PDF of its text (else it is refused). */
  @Column({ type: "boolean", default: false })
  mailBodyAsPdf: boolean;

  /** Whether its client users may correct the fields read from their invoices and receipts (staff always may). */
  @Column({ type: "boolean", default: false })
  clientsCorrectInvoices: boolean;

  /** The financial year ends on this month and day (default 31 December). */
  @Column({ type: "smallint" })
  financialYearEndMonth: number;

  @Column({ type: "smallint" })
  financialYearEndDay: number;

  /** How often the VAT return is due (default quarterly, the usual). */
  @Column({ type: "varchar", length: 10, default: FilingFrequency.QUARTERLY })
  vatFilingFrequency: FilingFrequency;

  /** How often the ICP declaration is due (default NONE: no intra-EU supplies). */
  @Column({ type: "varchar", length: 10, default: FilingFrequency.NONE })
  icpFilingFrequency: FilingFrequency;

  /** YYYY-MM-DD: periods before the one it falls in are not the firm's to file (it took the client on later). */
  @Column({ type: "date", default: () => "current_date" })
  filingsFrom: string;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @UpdateDateColumn({ type: "timestamptz" })
  updatedAt: Date;
}

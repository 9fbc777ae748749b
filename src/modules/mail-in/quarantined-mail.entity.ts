import { Column, Entity, PrimaryColumn } from "typeorm";

/** Why a mail waits for staff instead of landing on the desk. */
export enum QuarantineReason {
  /** Its sender is not a member of the administration nor the firm's staff. */
  UNKNOWN_SENDER = "UNKNOWN_SENDER",
  /** Its sender is a member, but the receiving mail server could not confirm the mail is theirs (SPF/DKIM/DMARC). */
  UNVERIFIED_SENDER = "UNVERIFIED_SENDER",
}

/** What staff read of one attachment before deciding. */
export interface QuarantinedAttachment {
  filename: string;
  contentType: string;
  size: number;
}

/** A mail kept whole (its bytes a blob) until staff put its attachments on the desk or discard it. */
@Entity({ name: "quarantined_mails" })
export class QuarantinedMail {
  @PrimaryColumn({ type: "uuid" })
  id: string;

  @Column({ type: "uuid" })
  firmId: string;

  @Column({ type: "uuid" })
  administrationId: string;

  @Column({ type: "varchar", length: 20 })
  reason: QuarantineReason;

  /** The envelope sender (MAIL FROM). */
  @Column({ type: "varchar", length: 320 })
  sender: string;

  /** The From header, as the mail shows it. */
  @Column({ type: "varchar", length: 500 })
  fromHeader: string;

  @Column({ type: "varchar", length: 300 })
  subject: string;

  @Column({ type: "varchar", length: 500, nullable: true })
  messageId: string | null;

  @Column({ type: "jsonb" })
  attachments: QuarantinedAttachment[];

  /** Whether the documents would be a PDF of its text (it has no attachments). */
  @Column({ type: "boolean" })
  bodyAsPdf: boolean;

  /** The whole mail as received (SHA-256 blob key). */
  @Column({ type: "varchar", length: 64 })
  blobSha256: string;

  @Column({ type: "integer" })
  size: number;

  @Column({ type: "timestamptz" })
  receivedAt: Date;
}

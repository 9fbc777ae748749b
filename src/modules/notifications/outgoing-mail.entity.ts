import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";

export enum OutgoingMailKind {
  NOTIFICATION = "NOTIFICATION",
  DIGEST = "DIGEST",
  INVITATION = "INVITATION",
  PASSWORD_RESET = "PASSWORD_RESET",
  /** The link confirming a new address (to it), and the notice of the change (to the old one). */
  EMAIL_CHANGE = "EMAIL_CHANGE",
}

/** A mail waiting for (or done with) the mail job. The rendered content is kept as sent, for the record. */
@Entity({ name: "outgoing_mails" })
export class OutgoingMail {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  firmId: string;

  @Column({ type: "uuid", nullable: true })
  administrationId: string | null;

  @Column({ type: "uuid", nullable: true })
  recipientUserId: string | null;

  @Column({ type: "varchar", length: 320 })
  toAddress: string;

  @Column({ type: "varchar", length: 20 })
  kind: OutgoingMailKind;

  @Column({ type: "varchar", length: 50, nullable: true })
  subjectType: string | null;

  @Column({ type: "uuid", nullable: true })
  subjectId: string | null;

  @Column({ type: "varchar", length: 60, nullable: true })
  notificationKind: string | null;

  @Column({ type: "uuid", array: true })
  notificationIds: string[];

  @Column({ type: "varchar", length: 300 })
  subject: string;

  @Column({ type: "text", nullable: true })
  textBody: string | null;

  /** The sender name and reply-to it goes with (the firm's, when it was queued). */
  @Column({ type: "varchar", length: 200, nullable: true })
  fromName: string | null;

  @Column({ type: "varchar", length: 320, nullable: true })
  replyTo: string | null;

  @Column({ type: "text", nullable: true })
  htmlBody: string | null;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @Column({ type: "timestamptz", nullable: true })
  sentAt: Date | null;

  @Column({ type: "varchar", length: 300, nullable: true })
  messageId: string | null;

  @Column({ type: "int" })
  attempts: number;

  @Column({ type: "text", nullable: true })
  lastError: string | null;
}

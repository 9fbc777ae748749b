import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";

/** Something one user should know about; one row per recipient. */
@Entity({ name: "notifications" })
export class Notification {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  recipientUserId: string;

  @Column({ type: "uuid" })
  firmId: string;

  @Column({ type: "uuid", nullable: true })
  administrationId: string | null;

  @Column({ type: "varchar", length: 60 })
  kind: string;

  @Column({ type: "varchar", length: 300 })
  title: string;

  @Column({ type: "text", nullable: true })
  body: string | null;

  /** The GraphQL type name and id of what it is about, for `subject` (a Node). */
  @Column({ type: "varchar", length: 50, nullable: true })
  subjectType: string | null;

  @Column({ type: "uuid", nullable: true })
  subjectId: string | null;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @Column({ type: "timestamptz", nullable: true })
  readAt: Date | null;

  /** How it is mailed, decided from the recipient's preference when it is made. */
  @Column({ type: "varchar", length: 12 })
  mailDelivery: "IMMEDIATE" | "DAILY_DIGEST" | "OFF";

  /** When a mail (at once, or the digest) carried it. */
  @Column({ type: "timestamptz", nullable: true })
  mailedAt: Date | null;
}

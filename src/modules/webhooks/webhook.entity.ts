import { Column, Entity, PrimaryColumn } from "typeorm";

/** A firm's endpoint that is sent the events it asked for, signed per Standard Webhooks. */
@Entity({ name: "webhooks" })
export class Webhook {
  @PrimaryColumn({ type: "uuid" })
  id: string;

  @Column({ type: "uuid" })
  firmId: string;

  @Column({ type: "varchar", length: 2000 })
  url: string;

  @Column({ type: "varchar", length: 300 })
  description: string;

  /** WebhookEvent values. */
  @Column({ type: "text", array: true })
  events: string[];

  @Column({ type: "varchar", length: 100, select: false })
  secret: string;

  @Column({ type: "varchar", length: 100, nullable: true, select: false })
  previousSecret: string | null;

  /** Until when messages are signed with the previous secret too (rotation's overlap). */
  @Column({ type: "timestamptz", nullable: true })
  previousSecretUntil: Date | null;

  @Column({ type: "boolean" })
  enabled: boolean;

  @Column({ type: "timestamptz", nullable: true })
  disabledAt: Date | null;

  @Column({ type: "varchar", length: 300, nullable: true })
  disabledReason: string | null;

  @Column({ type: "timestamptz", nullable: true })
  failingSince: Date | null;

  @Column({ type: "timestamptz", nullable: true })
  lastSuccessAt: Date | null;

  @Column({ type: "varchar", length: 200 })
  createdByLabel: string;

  @Column({ type: "timestamptz" })
  createdAt: Date;

  @Column({ type: "timestamptz" })
  updatedAt: Date;
}

/** One try at delivering one message to its endpoint. */
@Entity({ name: "webhook_attempts" })
export class WebhookAttempt {
  @PrimaryColumn({ type: "uuid" })
  id: string;

  @Column({ type: "uuid" })
  messageId: string;

  @Column({ type: "uuid" })
  webhookId: string;

  @Column({ type: "integer" })
  attempt: number;

  @Column({ type: "timestamptz" })
  at: Date;

  @Column({ type: "boolean" })
  ok: boolean;

  @Column({ type: "integer", nullable: true })
  statusCode: number | null;

  @Column({ type: "varchar", length: 500, nullable: true })
  error: string | null;

  @Column({ type: "integer" })
  durationMs: number;

  @Column({ type: "varchar", length: 1000, nullable: true })
  responseExcerpt: string | null;
}

import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

export enum ActorType {
  USER = "USER",
  API_TOKEN = "API_TOKEN",
  SYSTEM = "SYSTEM",
}

/**
 * One link of an append-only, hash-chained log. A chain is per administration, or per firm for
 * firm-level events (administrationId null). `hash` covers every field and the previous hash.
 */
@Entity({ name: "audit_events" })
export class AuditEvent {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  firmId: string;

  @Column({ type: "uuid", nullable: true })
  administrationId: string | null;

  /** Position in its chain, from 1. */
  @Column({ type: "bigint", transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  seq: number;

  @Column({ type: "timestamptz" })
  occurredAt: Date;

  @Column({ type: "varchar", length: 20 })
  actorType: ActorType;

  @Column({ type: "uuid", nullable: true })
  actorId: string | null;

  @Column({ type: "varchar", length: 320 })
  actorLabel: string;

  @Column({ type: "varchar", length: 100 })
  action: string;

  @Column({ type: "varchar", length: 50, nullable: true })
  subjectType: string | null;

  @Column({ type: "uuid", nullable: true })
  subjectId: string | null;

  @Column({ type: "text", nullable: true })
  note: string | null;

  @Column({ type: "jsonb" })
  details: Record<string, unknown>;

  @Column({ type: "char", length: 64 })
  prevHash: string;

  @Column({ type: "char", length: 64 })
  hash: string;
}

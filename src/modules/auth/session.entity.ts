import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";

/** A signed-in session; only the SHA-256 of its bearer token is stored. */
@Entity({ name: "sessions" })
export class Session {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  userId: string;

  @Column({ type: "bytea" })
  tokenHash: Buffer;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @Column({ type: "timestamptz" })
  expiresAt: Date;

  @Column({ type: "timestamptz", nullable: true })
  revokedAt: Date | null;

  /** The client address it was made from (behind a proxy: as TRUST_PROXY lets it be read). */
  @Column({ type: "varchar", length: 100, nullable: true })
  address: string | null;

  @Column({ type: "varchar", length: 300, nullable: true })
  userAgent: string | null;

  /** Noted at most every few minutes (not a write per request). */
  @Column({ type: "timestamptz", nullable: true })
  lastUsedAt: Date | null;
}

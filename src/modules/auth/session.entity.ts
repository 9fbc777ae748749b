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
}

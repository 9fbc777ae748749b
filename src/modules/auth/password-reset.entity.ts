import { Column, CreateDateColumn, Entity, PrimaryColumn } from "typeorm";

/** A one-time link to choose a new password; only the SHA-256 of its token is stored. */
@Entity({ name: "password_resets" })
export class PasswordReset {
  @PrimaryColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  userId: string;

  @Column({ type: "bytea", select: false })
  tokenHash: Buffer;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @Column({ type: "timestamptz" })
  expiresAt: Date;

  @Column({ type: "timestamptz", nullable: true })
  usedAt: Date | null;
}

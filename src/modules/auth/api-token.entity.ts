import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";
import type { ApiScope } from "../../core/api-scopes.js";

/** A token an integration uses to act for the firm; shown once, stored hashed. */
@Entity({ name: "api_tokens" })
export class ApiToken {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  firmId: string;

  @Column({ type: "varchar", length: 100 })
  name: string;

  /** The first characters of the token, so people can tell tokens apart. */
  @Column({ type: "varchar", length: 16 })
  tokenPrefix: string;

  @Column({ type: "bytea", select: false })
  tokenHash: Buffer;

  @Column({ type: "uuid" })
  createdByUserId: string;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @Column({ type: "timestamptz", nullable: true })
  expiresAt: Date | null;

  @Column({ type: "timestamptz", nullable: true })
  revokedAt: Date | null;

  @Column({ type: "timestamptz", nullable: true })
  lastUsedAt: Date | null;

  /** What it may do (null: every scope; tokens made before scopes existed). */
  @Column({ type: "text", array: true, nullable: true })
  scopes: ApiScope[] | null;

  /** The administrations it is limited to (null: all of the firm's). */
  @Column({ type: "uuid", array: true, nullable: true })
  administrationIds: string[] | null;
}

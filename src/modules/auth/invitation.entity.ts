import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";

/** A one-time invitation that lets an invited user set a password. */
@Entity({ name: "invitations" })
export class Invitation {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  userId: string;

  /** null: the operator invited a new firm's first admin. */
  @Column({ type: "uuid", nullable: true })
  invitedByUserId: string | null;

  @Column({ type: "bytea", select: false })
  tokenHash: Buffer;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @Column({ type: "timestamptz" })
  expiresAt: Date;

  @Column({ type: "timestamptz", nullable: true })
  acceptedAt: Date | null;
}

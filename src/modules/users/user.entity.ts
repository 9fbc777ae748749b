import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import { UserRole } from "../../core/roles.js";

export enum UserStatus {
  INVITED = "INVITED",
  ACTIVE = "ACTIVE",
  DISABLED = "DISABLED",
}

export enum Language {
  NL = "NL",
  EN = "EN",
}

/** A person who signs in: firm staff (admin, accountant) or a client user of the firm's portal. */
@Entity({ name: "users" })
export class User {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  firmId: string;

  /** Stored lower-cased; unique across the whole system (it is the sign-in name). */
  @Column({ type: "varchar", length: 320 })
  email: string;

  @Column({ type: "varchar", length: 200 })
  name: string;

  @Column({ type: "varchar", length: 20 })
  role: UserRole;

  @Column({ type: "varchar", length: 20 })
  status: UserStatus;

  @Column({ type: "varchar", length: 2 })
  language: Language;

  @Column({ type: "text", nullable: true, select: false })
  passwordHash: string | null;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @UpdateDateColumn({ type: "timestamptz" })
  updatedAt: Date;
}

import { Column, CreateDateColumn, Entity, PrimaryColumn } from "typeorm";

/** A person's authenticator app (TOTP): on once `confirmedAt` is set, after a code from the app matched. */
@Entity({ name: "totp_credentials" })
export class TotpCredential {
  @PrimaryColumn("uuid")
  userId: string;

  /** Base32, as the app was given it (a TOTP check needs the secret itself). */
  @Column({ type: "varchar", length: 64, select: false })
  secret: string;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @Column({ type: "timestamptz", nullable: true })
  confirmedAt: Date | null;

  /** The time step of the last code accepted: no code is accepted twice. */
  @Column({ type: "bigint", nullable: true })
  lastTimeStep: string | null;
}

/** One of a person's one-time recovery codes; only its SHA-256 is stored. */
@Entity({ name: "recovery_codes" })
export class RecoveryCode {
  @PrimaryColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  userId: string;

  @Column({ type: "bytea", select: false })
  codeHash: Buffer;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @Column({ type: "timestamptz", nullable: true })
  usedAt: Date | null;
}

/**
 * The second step of a sign-in: made once the password was right, for a code (or, with
 * `enrolment`, for setting up the authenticator app the firm requires). Only its token's hash is stored.
 */
@Entity({ name: "sign_in_challenges" })
export class SignInChallenge {
  @PrimaryColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  userId: string;

  @Column({ type: "bytea", select: false })
  tokenHash: Buffer;

  @Column({ type: "boolean" })
  enrolment: boolean;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @Column({ type: "timestamptz" })
  expiresAt: Date;

  @Column({ type: "int", default: 0 })
  failures: number;

  @Column({ type: "timestamptz", nullable: true })
  usedAt: Date | null;

  @Column({ type: "varchar", length: 100, nullable: true })
  address: string | null;

  @Column({ type: "varchar", length: 300, nullable: true })
  userAgent: string | null;
}

/** A person's passkey (WebAuthn credential): for passwordless sign-in and as a second factor. */
@Entity({ name: "passkeys" })
export class Passkey {
  @PrimaryColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  userId: string;

  /** base64url, as the browser names it. */
  @Column({ type: "varchar", length: 1400 })
  credentialId: string;

  @Column({ type: "bytea", select: false })
  publicKey: Buffer;

  /** The authenticator's signature counter (0 for those that keep none). */
  @Column({ type: "bigint", transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  counter: number;

  @Column({ type: "text", array: true })
  transports: string[];

  @Column({ type: "varchar", length: 100 })
  name: string;

  /** Synced between devices (a platform's passkey manager). */
  @Column({ type: "boolean" })
  backedUp: boolean;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @Column({ type: "timestamptz", nullable: true })
  lastUsedAt: Date | null;
}

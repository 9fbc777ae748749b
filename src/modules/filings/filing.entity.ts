import type { ApprovalAssertion } from "./approval-assertion.js";
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import type { IcpLine } from "./icp-declaration.js";
import type { MessageKind } from "./submission/gateway.js";
import type { VatReturnEntries } from "./vat-return.js";

export enum FilingKind {
  VAT_RETURN = "VAT_RETURN",
  ICP_DECLARATION = "ICP_DECLARATION",
}

export enum FilingStatus {
  DRAFT = "DRAFT",
  AWAITING_APPROVAL = "AWAITING_APPROVAL",
  APPROVED = "APPROVED",
  REJECTED = "REJECTED",
  SUBMITTED = "SUBMITTED",
  ACCEPTED = "ACCEPTED",
  FAILED = "FAILED",
}

export interface SubmissionStatus {
  code: number;
  description: string;
  /** ISO time the gateway gave. */
  at: string;
  error: { code: string; description: string } | null;
}

/** `icpDifferenceReason`: why box 3b may differ from the period's ICP declaration (part of what the client approves). */
export type FilingContent =
  { kind: FilingKind.VAT_RETURN; entries: VatReturnEntries; icpDifferenceReason?: string | null } | { kind: FilingKind.ICP_DECLARATION; lines: IcpLine[] };

/** A VAT return or ICP declaration of one period, through approval to submission. */
@Entity({ name: "filings" })
export class Filing {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  firmId: string;

  @Column({ type: "uuid" })
  administrationId: string;

  @Column({ type: "varchar", length: 20 })
  kind: FilingKind;

  @Column({ type: "smallint" })
  periodYear: number;

  @Column({ type: "smallint", nullable: true })
  periodMonth: number | null;

  @Column({ type: "smallint", nullable: true })
  periodQuarter: number | null;

  @Column({ type: "int" })
  correctionNumber: number;

  @Column({ type: "uuid", nullable: true })
  correctsId: string | null;

  @Column({ type: "varchar", length: 20 })
  status: FilingStatus;

  @Column({ type: "int" })
  version: number;

  @Column({ type: "jsonb" })
  content: FilingContent;

  @Column({ type: "uuid", nullable: true })
  preparedByUserId: string | null;

  @Column({ type: "varchar", length: 320 })
  preparedByLabel: string;

  @Column({ type: "timestamptz", nullable: true })
  firstRequestedAt: Date | null;

  @Column({ type: "varchar", length: 10, nullable: true })
  approvalDecision: "APPROVED" | "REJECTED" | null;

  @Column({ type: "uuid", nullable: true })
  approvalByUserId: string | null;

  @Column({ type: "varchar", length: 320, nullable: true })
  approvalByLabel: string | null;

  @Column({ type: "timestamptz", nullable: true })
  approvalAt: Date | null;

  @Column({ type: "text", nullable: true })
  approvalNote: string | null;

  @Column({ type: "int", nullable: true })
  approvalVersion: number | null;

  @Column({ type: "char", length: 64, nullable: true })
  approvalContentHash: string | null;

  /** How the approver confirmed the decision (their authenticator app), when they have two-step sign-in. */
  @Column({ type: "varchar", length: 20, nullable: true })
  approvalConfirmation: "TOTP" | "RECOVERY_CODE" | "PASSKEY" | null;

  /** With a passkey: the assertion over the decision's challenge, and the public key that checks it. */
  @Column({ type: "jsonb", nullable: true })
  approvalAssertion: ApprovalAssertion | null;

  /** The XBRL instance decided on (null when it could not be made, e.g. without a VAT number). */
  @Column({ type: "text", nullable: true, select: false })
  approvalXbrl: string | null;

  @Column({ type: "char", length: 64, nullable: true })
  approvalXbrlSha256: string | null;

  @Column({ type: "timestamptz", nullable: true })
  submittedAt: Date | null;

  @Column({ type: "varchar", length: 320, nullable: true })
  submittedByLabel: string | null;

  @Column({ type: "varchar", length: 100, nullable: true })
  submissionReference: string | null;

  @Column({ type: "jsonb" })
  submissionStatuses: SubmissionStatus[];

  /** The taxonomy release the submitted message was written with, e.g. "NT20 / bd 20251210". */
  @Column({ type: "varchar", length: 40, nullable: true })
  taxonomyRelease: string | null;

  /** What was sent: VAT_RETURN, VAT_CORRECTION (a suppletie, correcting an accepted return) or ICP_DECLARATION. */
  @Column({ type: "varchar", length: 20, nullable: true })
  messageKind: MessageKind | null;

  /** The XBRL instance as handed to the gateway: the proof of what was filed. */
  @Column({ type: "text", nullable: true, select: false })
  submissionMessage: string | null;

  @Column({ type: "text", nullable: true })
  failureReason: string | null;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @UpdateDateColumn({ type: "timestamptz" })
  updatedAt: Date;
}

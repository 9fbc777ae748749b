import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";
import { centsColumn } from "../../db/cents-column.js";

/** An account of an administration that statements have been read for (one row per IBAN and currency). */
@Entity({ name: "bank_accounts" })
export class BankAccount {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  firmId: string;

  @Column({ type: "uuid" })
  administrationId: string;

  /** The IBAN (or the bank's account number where a file gives no IBAN). */
  @Column({ type: "varchar", length: 40 })
  account: string;

  @Column({ type: "char", length: 3 })
  currency: string;

  /** The problems last told to its people (their keys), so each is notified once. */
  @Column({ type: "text", array: true })
  toldProblems: string[];

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;
}

/** One statement (or page of one) read from a document; a file may hold several. */
@Entity({ name: "bank_statements" })
export class BankStatement {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  firmId: string;

  @Column({ type: "uuid" })
  administrationId: string;

  @Column({ type: "uuid" })
  bankAccountId: string;

  @Column({ type: "uuid" })
  documentId: string;

  /** Its place in the file, from 0. */
  @Column({ type: "int" })
  position: number;

  @Column({ type: "varchar", length: 35, nullable: true })
  number: string | null;

  @Column({ type: "int" })
  sequence: number;

  @Column({ type: "date" })
  openingDate: string;

  @Column({ type: "bigint", transformer: centsColumn })
  openingCents: bigint;

  @Column({ type: "date" })
  closingDate: string;

  @Column({ type: "bigint", transformer: centsColumn })
  closingCents: bigint;

  @Column({ type: "int" })
  entryCount: number;

  /** The entries added up, kept so the continuity guard reads one row per statement. */
  @Column({ type: "bigint", transformer: centsColumn })
  entriesCents: bigint;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;
}

/** One booked entry of a statement. */
@Entity({ name: "bank_entries" })
export class BankEntry {
  @PrimaryColumn({ type: "uuid" })
  statementId: string;

  /** Its place in the statement, from 0 (the pagination cursor). */
  @PrimaryColumn({ type: "int" })
  position: number;

  @Column({ type: "date" })
  bookingDate: string;

  @Column({ type: "date", nullable: true })
  valueDate: string | null;

  /** Negative for a debit. */
  @Column({ type: "bigint", transformer: centsColumn })
  amountCents: bigint;

  @Column({ type: "varchar", length: 140, nullable: true })
  counterpartyName: string | null;

  @Column({ type: "varchar", length: 40, nullable: true })
  counterpartyIban: string | null;

  @Column({ type: "varchar", length: 11, nullable: true })
  counterpartyBic: string | null;

  @Column({ type: "text", nullable: true })
  description: string | null;

  @Column({ type: "varchar", length: 140, nullable: true })
  endToEndId: string | null;

  @Column({ type: "varchar", length: 140, nullable: true })
  bankReference: string | null;
}

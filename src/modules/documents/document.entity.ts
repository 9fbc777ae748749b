import { type Actor, tokenIdOf, userIdOf } from "../../core/actor.js";
import { Column, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import { DocumentFormat } from "../files/file-format.js";

export enum DocumentLocation {
  DESK = "DESK",
  TRAY = "TRAY",
}

export enum TrayKind {
  PURCHASE = "PURCHASE",
  SALES = "SALES",
  RECEIPTS = "RECEIPTS",
  BANK_STATEMENTS = "BANK_STATEMENTS",
  ARCHIVE = "ARCHIVE",
}

export enum DocumentStatus {
  /** On the client's desk, not yet filed. */
  ON_DESK = "ON_DESK",
  /** Filed into a tray: the firm's work queue. */
  SUBMITTED = "SUBMITTED",
  /** Booked by the firm; immutable from now on. */
  PROCESSED = "PROCESSED",
  /** Sent back to the client's desk with a reason. */
  RETURNED = "RETURNED",
}

/** What PortalDesk read from a document's content. */
export enum DataKind {
  BANK_STATEMENT = "BANK_STATEMENT",
  INVOICE = "INVOICE",
}

/** How far the reading of a document's pages (text layer, OCR) is. */
export enum PagesState {
  /** Waiting for its turn (also documents from before page reading, read at the next start). */
  QUEUED = "QUEUED",
  RUNNING = "RUNNING",
  DONE = "DONE",
  /** The file could not be opened as pages; `pagesProblem` says why. */
  FAILED = "FAILED",
}

const bigintNumber = { to: (v: number) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

/** A file a client (or the firm) brought in: on the desk, in a tray, or in the archive. */
@Entity({ name: "documents" })
export class Document {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  firmId: string;

  @Column({ type: "uuid" })
  administrationId: string;

  @Column({ type: "varchar", length: 255 })
  filename: string;

  @Column({ type: "varchar", length: 100 })
  contentType: string;

  /** The format decided from the content when it was uploaded. */
  @Column({ type: "varchar", length: 10 })
  format: DocumentFormat;

  @Column({ type: "bigint", transformer: bigintNumber })
  byteSize: number;

  /** SHA-256 of the content (hex); also the blob's storage key. */
  @Column({ type: "char", length: 64 })
  sha256: string;

  @Column({ type: "int", nullable: true })
  pageCount: number | null;

  @Column({ type: "varchar", length: 10 })
  location: DocumentLocation;

  @Column({ type: "varchar", length: 20, nullable: true })
  tray: TrayKind | null;

  @Column({ type: "uuid", nullable: true })
  folderId: string | null;

  @Column({ type: "varchar", length: 12 })
  status: DocumentStatus;

  @Column({ type: "uuid", nullable: true })
  uploadedByUserId: string | null;

  @Column({ type: "uuid", nullable: true })
  uploadedByTokenId: string | null;

  @Column({ type: "timestamptz" })
  uploadedAt: Date;

  @Column({ type: "timestamptz", nullable: true })
  submittedAt: Date | null;

  @Column({ type: "timestamptz", nullable: true })
  processedAt: Date | null;

  @Column({ type: "text", nullable: true })
  returnReason: string | null;

  @Column({ type: "timestamptz", nullable: true })
  returnedAt: Date | null;

  @Column({ type: "uuid", nullable: true })
  duplicateOfId: string | null;

  /** The documents this one was made from by page editing or merging. */
  @Column({ type: "uuid", array: true })
  derivedFromIds: string[];

  @Column({ type: "char", length: 64, nullable: true })
  thumbnailSha256: string | null;

  @Column({ type: "timestamptz", nullable: true })
  removedAt: Date | null;

  /** Set when page editing or merging replaced this document by new ones (kept for history). */
  @Column({ type: "timestamptz", nullable: true })
  replacedAt: Date | null;

  /** The document's own date (invoice date); defaults to the upload day. Drives retention. */
  @Column({ type: "date", nullable: true })
  documentDate: string | null;

  /** Kept until this day (books and source documents: 7 years after the financial year, 10 for real estate). */
  @Column({ type: "date", nullable: true })
  retainUntil: string | null;

  @Column({ type: "text", nullable: true })
  notes: string | null;

  @Column({ type: "timestamptz", nullable: true })
  textExtractedAt: Date | null;

  /** A PDF showing a file without pages of its own (an e-invoice's rendition, or one drawn from its data). */
  @Column({ type: "char", length: 64, nullable: true })
  previewSha256: string | null;

  @Column({ type: "int", nullable: true })
  previewPageCount: number | null;

  /** When the reading of its data (bank statements, e-invoice) finished; null while it is pending. */
  @Column({ type: "timestamptz", nullable: true })
  dataReadAt: Date | null;

  /** What was read from it, if anything. */
  @Column({ type: "varchar", length: 20, nullable: true })
  dataKind: DataKind | null;

  /** Why its data could not be read (in English; the file is kept as a plain document). */
  @Column({ type: "text", nullable: true })
  dataProblem: string | null;

  /** Null until page reading first takes it up (see PagesState.QUEUED). */
  @Column({ type: "varchar", length: 10, nullable: true })
  pagesState: PagesState | null;

  @Column({ type: "int", default: 0 })
  pagesDone: number;

  @Column({ type: "int", nullable: true })
  pagesTotal: number | null;

  /** Pages that could not be read, or why the file could not be (English). */
  @Column({ type: "text", nullable: true })
  pagesProblem: string | null;

  @UpdateDateColumn({ type: "timestamptz" })
  updatedAt: Date;
}

/** Who brought a document in, as its columns record it: a person, or an integration's API token. */
export function uploadedBy(actor: Actor): Pick<Document, "uploadedByUserId" | "uploadedByTokenId"> {
  return { uploadedByUserId: userIdOf(actor), uploadedByTokenId: tokenIdOf(actor) };
}

import type { IncomingFile } from "../../core/incoming-file.js";
import { GraphQLUpload } from "../../graphql/upload.js";
import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { toGlobalId } from "../../graphql/global-id.js";
import { type PayloadBase, UserErrorType } from "../../graphql/payload.js";
import { Connection, ConnectionArgs, Node } from "../../graphql/relay.js";
import { DateTime, LocalDate, SafeInt } from "../../graphql/scalars.js";
import { DataKind, type Document, DocumentLocation, DocumentStatus, TrayKind } from "./document.entity.js";
import { DocumentOrder } from "./document.service.js";
import { DocumentFormat } from "../files/file-format.js";

/** How far reading a document's data (bank statements, e-invoice) has come. */
export enum DocumentDataStatus {
  PENDING = "PENDING",
  READ = "READ",
  NOTHING_FOUND = "NOTHING_FOUND",
  FAILED = "FAILED",
}
registerEnumType(DocumentDataStatus, {
  name: "DocumentDataStatus",
  description: "Whether PortalDesk read the data of a document (bank statements, an e-invoice).",
  valuesConfig: {
    PENDING: { description: "Not read yet (it happens in the background, seconds after the upload)." },
    READ: { description: "Read: see `bankStatements` or `invoice`." },
    NOTHING_FOUND: { description: "Nothing to read in it (a plain scan or PDF)." },
    FAILED: { description: "It could not be read; `dataProblem` says why. The file is kept as a plain document." },
  },
});
registerEnumType(DataKind, {
  name: "DocumentDataKind",
  description: "What was read from a document.",
  valuesConfig: {
    BANK_STATEMENT: { description: "Bank statements (MT940, CAMT.053): see `bankStatements`." },
    INVOICE: { description: "An invoice or credit note: see `invoice`." },
  },
});

/** The data status a document's columns record. */
export function dataStatusOf(d: Pick<Document, "dataReadAt" | "dataKind" | "dataProblem">): DocumentDataStatus {
  if (!d.dataReadAt) return DocumentDataStatus.PENDING;
  if (d.dataProblem) return DocumentDataStatus.FAILED;
  return d.dataKind ? DocumentDataStatus.READ : DocumentDataStatus.NOTHING_FOUND;
}

registerEnumType(DocumentLocation, {
  name: "DocumentLocation",
  description: "Where a document is.",
  valuesConfig: { DESK: { description: "On the client's desk (their to-do)." }, TRAY: { description: "Filed into a tray." } },
});
registerEnumType(TrayKind, {
  name: "TrayKind",
  description: "The trays (bakjes) documents are filed into.",
  valuesConfig: {
    PURCHASE: { description: "Purchase invoices (Inkoop)." },
    SALES: { description: "Sales invoices (Verkoop)." },
    RECEIPTS: { description: "Receipts (Bonnen)." },
    BANK_STATEMENTS: { description: "Bank statements (Bankafschriften): PDF, MT940 or CAMT.053." },
    ARCHIVE: { description: "The archive (Archief), into a folder." },
  },
});
registerEnumType(DocumentStatus, {
  name: "DocumentStatus",
  description: "Where a document is in the firm's work.",
  valuesConfig: {
    ON_DESK: { description: "On the client's desk, not yet filed." },
    SUBMITTED: { description: "Filed into a tray; waiting for the firm." },
    PROCESSED: { description: "Booked by the firm; immutable." },
    RETURNED: { description: "Sent back to the client's desk with a reason." },
  },
});
registerEnumType(DocumentFormat, {
  name: "DocumentFormat",
  description: "A document's format, decided from its content.",
  valuesConfig: {
    PDF: { description: "PDF." },
    JPEG: { description: "JPEG image." },
    PNG: { description: "PNG image." },
    TIFF: { description: "TIFF image." },
    HEIC: { description: "HEIC/HEIF image (phone camera)." },
    UBL: { description: "UBL 2.1 e-invoice or credit note XML (SI-UBL 2.0 / NLCIUS, Peppol BIS Billing 3.0)." },
    CII: { description: "UN/CEFACT Cross Industry Invoice XML (the XML inside Factur-X / ZUGFeRD)." },
    MT940: { description: "Bank statement in SWIFT MT940." },
    CAMT053: { description: "Bank statement in ISO 20022 CAMT.053 XML." },
  },
});
registerEnumType(DocumentOrder, {
  name: "DocumentOrder",
  description: "How to order documents.",
  valuesConfig: {
    UPLOADED_AT_DESC: { description: "Newest first (default)." },
    UPLOADED_AT_ASC: { description: "Oldest first." },
    FILENAME_ASC: { description: "By name, A to Z." },
    FILENAME_DESC: { description: "By name, Z to A." },
  },
});

@ObjectType("Document", { implements: Node, description: "A file on the desk, in a tray or in the archive." })
export class DocumentType extends Node {
  @Field(() => String, { description: "The file name as the user gave it (or renamed it)." })
  filename: string;

  @Field(() => String, { description: "MIME type, decided from the content." })
  contentType: string;

  @Field(() => DocumentFormat, { description: "Format, decided from the content." })
  format: DocumentFormat;

  @Field(() => SafeInt, { description: "Size in bytes." })
  byteSize: number;

  @Field(() => String, { description: "SHA-256 of the content, hex." })
  sha256: string;

  @Field(() => Int, { nullable: true, description: "Pages (PDF: from the file itself; images: 1; XML and MT940: null)." })
  pageCount: number | null;

  @Field(() => DocumentLocation, { description: "On the desk or in a tray." })
  location: DocumentLocation;

  @Field(() => TrayKind, { nullable: true, description: "The tray, when filed." })
  tray: TrayKind | null;

  @Field(() => DocumentStatus, { description: "Where it is in the firm's work." })
  status: DocumentStatus;

  @Field(() => DateTime, { description: "When it was uploaded." })
  uploadedAt: Date;

  @Field(() => DateTime, { nullable: true, description: "When it was last filed into a tray." })
  submittedAt: Date | null;

  @Field(() => DateTime, { nullable: true, description: "When the firm processed it." })
  processedAt: Date | null;

  @Field(() => String, { nullable: true, description: "Why the firm returned it (when RETURNED)." })
  returnReason: string | null;

  @Field(() => DateTime, { nullable: true, description: "When the firm returned it." })
  returnedAt: Date | null;

  @Field(() => DateTime, { nullable: true, description: "When page editing replaced it by new documents (kept for history)." })
  replacedAt: Date | null;

  @Field(() => LocalDate, { nullable: true, description: "The document's own date (YYYY-MM-DD; defaults to the upload day)." })
  documentDate: string | null;

  @Field(() => LocalDate, { nullable: true, description: "Kept until this day (YYYY-MM-DD) by law once archived or processed; it cannot be removed before." })
  retainUntil: string | null;

  @Field(() => String, { nullable: true, description: "Notes about the document (searchable)." })
  notes: string | null;

  @Field(() => DocumentDataStatus, { description: "Whether its data (bank statements, e-invoice) was read." })
  dataStatus: DocumentDataStatus;

  @Field(() => DataKind, { nullable: true, description: "What was read from it, when something was." })
  dataKind: DataKind | null;

  @Field(() => String, { nullable: true, description: "Why its data could not be read (FAILED), e.g. the line of a statement file at fault." })
  dataProblem: string | null;

  entity: Document;

  static from(d: Document): DocumentType {
    return Object.assign(new DocumentType(), {
      id: toGlobalId("Document", d.id),
      entity: d,
      filename: d.filename,
      contentType: d.contentType,
      format: d.format,
      byteSize: d.byteSize,
      sha256: d.sha256,
      pageCount: d.pageCount,
      location: d.location,
      tray: d.tray,
      status: d.status,
      uploadedAt: d.uploadedAt,
      submittedAt: d.submittedAt,
      processedAt: d.processedAt,
      returnReason: d.returnReason,
      returnedAt: d.returnedAt,
      replacedAt: d.replacedAt,
      documentDate: d.documentDate,
      retainUntil: d.retainUntil,
      notes: d.notes,
      dataStatus: dataStatusOf(d),
      dataKind: d.dataKind,
      dataProblem: d.dataProblem,
    });
  }
}

export const DocumentConnection = Connection(DocumentType, "Document");

@ObjectType("Desk", { description: "The client's desk: uploaded documents not yet filed. Empty means done." })
export class DeskType {
  administrationId: string;
}

@ObjectType("Tray", { description: "A tray: the firm's work queue of one kind of document." })
export class TrayType {
  @Field(() => TrayKind, { description: "Which tray." })
  kind: TrayKind;

  administrationId: string;
}

@ArgsType()
export class TrayDocumentsArgs extends ConnectionArgs {
  @Field(() => DocumentStatus, { nullable: true, description: "Only documents with this status." })
  status?: DocumentStatus | null;
}

@InputType("DocumentFilter", { description: "Narrows the documents listed." })
export class DocumentFilterInput {
  @Field(() => DocumentLocation, { nullable: true, description: "On the desk or in a tray." })
  location?: DocumentLocation | null;

  @Field(() => TrayKind, { nullable: true, description: "In this tray." })
  tray?: TrayKind | null;

  @Field(() => DocumentStatus, { nullable: true, description: "With this status." })
  status?: DocumentStatus | null;

  @Field(() => ID, { nullable: true, description: "Uploaded by this user." })
  uploadedBy?: string | null;

  @Field(() => DateTime, { nullable: true, description: "Uploaded at or after this moment." })
  uploadedAfter?: Date | null;

  @Field(() => DateTime, { nullable: true, description: "Uploaded before this moment." })
  uploadedBefore?: Date | null;

  @Field(() => String, { nullable: true, description: "Part of the file name." })
  search?: string | null;
}

@InputType("UploadDocumentsInput", { description: "Files to bring onto the desk, or straight into a tray." })
export class UploadDocumentsInput {
  @Field(() => ID, { description: "The administration." })
  administrationId: string;

  @Field(() => [GraphQLUpload], { description: "The files (GraphQL multipart request spec)." })
  files: Array<Promise<IncomingFile>>;

  @Field(() => TrayKind, { nullable: true, description: "Straight into this tray; omitted: onto the desk." })
  tray?: TrayKind | null;

  @Field(() => ID, { nullable: true, description: "For the ARCHIVE tray: the folder." })
  folderId?: string | null;
}

@ObjectType("DuplicateUpload", { description: "An uploaded file refused because its content is already in the administration." })
export class DuplicateUploadType {
  @Field(() => Int, { description: "Position of the file in the upload (from 0)." })
  index: number;

  @Field(() => String, { description: "The name of the refused file." })
  filename: string;

  @Field(() => DocumentType, { nullable: true, description: "The earlier document with the same content (null when it is in a folder the viewer cannot see)." })
  duplicateOf: DocumentType | null;
}

@ObjectType("UploadDocumentsPayload", { description: "The documents kept, and why any file was refused." })
export class UploadDocumentsPayload implements PayloadBase {
  @Field(() => [DocumentType], { description: "The new documents, in upload order." })
  documents: DocumentType[];

  @Field(() => [DuplicateUploadType], { description: "Files refused as duplicates (policy REJECT)." })
  duplicates: DuplicateUploadType[];

  @Field(() => [UserErrorType], { description: 'Why files were refused; `field` is ["input", "files", index].' })
  userErrors: UserErrorType[];
}

@InputType("FileDocumentsInput", { description: "Documents to file from the desk into a tray." })
export class FileDocumentsInput {
  @Field(() => [ID], { description: "The documents (of one administration)." })
  documentIds: string[];

  @Field(() => TrayKind, { description: "The tray." })
  tray: TrayKind;

  @Field(() => ID, { nullable: true, description: "For ARCHIVE: the folder." })
  folderId?: string | null;
}

@InputType("DocumentIdsInput", { description: "Some documents of one administration." })
export class DocumentIdsInput {
  @Field(() => [ID], { description: "The documents." })
  documentIds: string[];
}

@ObjectType("DocumentsPayload", { description: "The documents after the change." })
export class DocumentsPayload implements PayloadBase {
  @Field(() => [DocumentType], { description: "The changed documents (empty when it failed)." })
  documents: DocumentType[] = [];

  @Field(() => [UserErrorType], { description: "Why it did not succeed; nothing was changed then." })
  userErrors: UserErrorType[];
}

@InputType("ReturnDocumentInput", { description: "Send a document back to the client's desk." })
export class ReturnDocumentInput {
  @Field(() => ID, { description: "The document (SUBMITTED)." })
  documentId: string;

  @Field(() => String, { description: 'Why, for the client (e.g. "unreadable").' })
  reason: string;
}

@InputType("RenameDocumentInput", { description: "Give a document another name." })
export class RenameDocumentInput {
  @Field(() => ID, { description: "The document." })
  documentId: string;

  @Field(() => String, { description: "The new file name." })
  filename: string;
}

@InputType("RemoveDocumentInput", { description: "Remove a document that has not been processed." })
export class RemoveDocumentInput {
  @Field(() => ID, { description: "The document." })
  documentId: string;
}

@ObjectType("DocumentPayload", { description: "One document after the change." })
export class DocumentPayload implements PayloadBase {
  @Field(() => DocumentType, { nullable: true, description: "The document (null when it failed)." })
  document: DocumentType | null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

@InputType("PageOutputInput", { description: "One document to make from the source's pages." })
export class PageOutputInput {
  @Field(() => [Int], { description: "Pages of the source (from 1), in the wanted order; pages in no output are dropped." })
  pages: number[];

  @Field(() => Int, { nullable: true, description: "Rotate every page clockwise by this many degrees (multiple of 90)." })
  rotate?: number | null;
}

@InputType("EditDocumentPagesInput", { description: "Split, remove, reorder and rotate pages in one operation." })
export class EditDocumentPagesInput {
  @Field(() => ID, { description: "The source document (PDF or image)." })
  documentId: string;

  @Field(() => [PageOutputInput], { description: "The documents to make; several outputs split the source." })
  outputs: PageOutputInput[];
}

@InputType("MergeDocumentsInput", { description: "Merge documents (PDFs and images) into one PDF." })
export class MergeDocumentsInput {
  @Field(() => [ID], { description: "The documents, in the order their pages should follow." })
  documentIds: string[];

  @Field(() => String, { nullable: true, description: 'Name of the merged document (default: the first one\'s, with "(merged)").' })
  filename?: string | null;
}

@InputType("UpdateDocumentDetailsInput", { description: "Notes and the document's own date." })
export class UpdateDocumentDetailsInput {
  @Field(() => ID, { description: "The document." })
  documentId: string;

  @Field(() => String, { nullable: true, description: "Notes (searchable); empty string clears them." })
  notes?: string | null;

  @Field(() => LocalDate, { nullable: true, description: "The document's own date, YYYY-MM-DD (e.g. the invoice date)." })
  documentDate?: string | null;
}

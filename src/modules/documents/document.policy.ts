// Who may see and change documents. Every path into documents (lists, node, counts, downloads,
// events) goes through here. The archive issue narrows ARCHIVE documents by folder access.
import { ApiScope, needs, type ScopeRules } from "../../core/api-scopes.js";
import type { EntityManager, SelectQueryBuilder } from "typeorm";
import { type Actor, isStaff } from "../../core/actor.js";
import { NotFoundError, UserError, UserErrorCode } from "../../core/errors.js";
import { scopeVisibleAdministrations } from "../administrations/administration.policy.js";
import { documentFolderVisibleSql, folderLimitedUser } from "../archive/archive.policy.js";
import { Document, DocumentStatus } from "./document.entity.js";

/**
 * Restricts `qb` (documents as `alias`) to live documents of administrations the actor may see, and
 * for client users archive documents only in folders they can see.
 */
export function scopeVisibleDocuments<T extends object>(qb: SelectQueryBuilder<T>, alias: string, actor: Actor, options: { includeRemoved?: boolean } = {}): SelectQueryBuilder<T> {
  qb.innerJoin("administrations", `${alias}_adm`, `${alias}_adm.id = ${alias}.administration_id`);
  if (!options.includeRemoved) qb.andWhere(`${alias}.removed_at IS NULL`);
  const client = folderLimitedUser(actor);
  // Archive documents exist for a client only in folders they can see.
  if (client) qb.andWhere(documentFolderVisibleSql(alias, ":archiveUserId"), { archiveUserId: client });
  return scopeVisibleAdministrations(qb, `${alias}_adm`, actor);
}

/** The document, or NotFoundError when it does not exist for `actor`; optionally locked FOR UPDATE. */
export async function findVisibleDocument(manager: EntityManager, actor: Actor, id: string, lock = false): Promise<Document> {
  const qb = manager.getRepository(Document).createQueryBuilder("d").where("d.id = :id", { id });
  scopeVisibleDocuments(qb, "d", actor);
  if (lock) qb.setLock("pessimistic_write", undefined, ["d"]);
  const found = await qb.getOne();
  if (!found) throw new NotFoundError("Document");
  return found;
}

/** Everyone may change a document until the firm has processed it; then it is immutable. */
export function assertChangeable(document: Document, field: string[]): void {
  if (document.status === DocumentStatus.PROCESSED) {
    throw new UserError(
      UserErrorCode.WRONG_STATE,
      {
        en: `"${document.filename}" has been processed by the firm and can no longer be changed`,
        nl: `"${document.filename}" is door het kantoor verwerkt en kan niet meer worden gewijzigd`,
      },
      field,
    );
  }
  if (document.replacedAt) {
    throw new UserError(
      UserErrorCode.WRONG_STATE,
      {
        en: `"${document.filename}" was replaced by page editing; change the new documents instead`,
        nl: `"${document.filename}" is vervangen door het bewerken van de pagina's; wijzig in plaats daarvan de nieuwe documenten`,
      },
      field,
    );
  }
}

/** Processing (booking, returning) is the firm's work: staff and API tokens. */
export function canProcess(actor: Actor): boolean {
  return actor.type === "SYSTEM" || isStaff(actor);
}

/** Whether `actor` may hear of a change to a document: one they can see, removed ones included (so REMOVED reaches those who saw it). */
export async function mayHearOfDocument(manager: EntityManager, actor: Actor, documentId: string): Promise<boolean> {
  const qb = manager.getRepository(Document).createQueryBuilder("d").where("d.id = :id", { id: documentId });
  scopeVisibleDocuments(qb, "d", actor, { includeRemoved: true });
  return (await qb.getCount()) > 0;
}

/** What API tokens need for this module's fields (core/api-scopes.ts). */
export const DOCUMENT_SCOPES: ScopeRules = {
  "Mutation.uploadDocuments": needs(ApiScope.DOCUMENTS_WRITE),
  "Mutation.fileDocuments": needs(ApiScope.DOCUMENTS_WRITE),
  "Mutation.returnDocumentsToDesk": needs(ApiScope.DOCUMENTS_WRITE),
  "Mutation.markDocumentsProcessed": needs(ApiScope.DOCUMENTS_WRITE),
  "Mutation.returnDocument": needs(ApiScope.DOCUMENTS_WRITE),
  "Mutation.renameDocument": needs(ApiScope.DOCUMENTS_WRITE),
  "Mutation.updateDocumentDetails": needs(ApiScope.DOCUMENTS_WRITE),
  "Mutation.removeDocument": needs(ApiScope.DOCUMENTS_WRITE),
  "Mutation.editDocumentPages": needs(ApiScope.DOCUMENTS_WRITE),
  "Mutation.mergeDocuments": needs(ApiScope.DOCUMENTS_WRITE),
  "Query.search": needs(ApiScope.DOCUMENTS_READ),
  "Subscription.administrationEvents": needs(ApiScope.DOCUMENTS_READ),
  "Administration.documents": needs(ApiScope.DOCUMENTS_READ),
  "Administration.desk": needs(ApiScope.DOCUMENTS_READ),
  "Administration.trays": needs(ApiScope.DOCUMENTS_READ),
  "node:Document": needs(ApiScope.DOCUMENTS_READ),
};

// Who may do what in the archive. Staff of the firm (and API tokens) may do everything. A client
// user's access to a folder is the nearest grant walking up the tree — a grant for them beats the
// all-clients grant on the same folder — and NONE at the root when nothing is granted. A folder is
// visible only when it and every folder above it are at least VIEW, so no path shows a hidden name.
// Every way into folders and archive documents uses the one SQL fragment below.
import { ApiScope, needs, type ScopeRules } from "../../core/api-scopes.js";
import type { EntityManager, SelectQueryBuilder } from "typeorm";
import { type Actor, isClient, type Viewer } from "../../core/actor.js";
import { ForbiddenError, NotFoundError } from "../../core/errors.js";
import { tokenAdministrationLimit } from "../administrations/administration.policy.js";
import { ArchiveFolder } from "./archive-folder.entity.js";
import { ACCESS_RANK, FolderAccess } from "./archive-grant.entity.js";

const grantFor = (folder: string, userParam: string) => `(
    SELECT coalesce(
      (SELECT g.access FROM archive_folder_grants g WHERE g.folder_id = ${folder} AND g.user_id = ${userParam}),
      (SELECT g.access FROM archive_folder_grants g WHERE g.folder_id = ${folder} AND g.user_id IS NULL)))`;

/**
 * The grant rule, once: a recursive CTE `reach(user_id, id, access)` walking down from each root for
 * every (user_id, administration_id) row of `viewers` (SQL of a relation), keeping only branches the
 * viewer reaches. A NULL user_id stands for a client user with no grant of their own.
 */
function reachSql(viewers: string, ignorePortal: boolean): string {
  return `reach(user_id, id, access) AS (
      SELECT v.user_id, f.id, coalesce(${grantFor("f.id", "v.user_id")}, 'NONE')
        FROM archive_folders f
        JOIN administrations a ON a.id = f.administration_id${ignorePortal ? "" : " AND a.portal_enabled"}
        JOIN ${viewers} v ON v.administration_id = f.administration_id
       WHERE f.parent_id IS NULL
      UNION ALL
      SELECT reach.user_id, c.id, coalesce(${grantFor("c.id", "reach.user_id")}, reach.access)
        FROM archive_folders c JOIN reach ON c.parent_id = reach.id
       WHERE reach.access <> 'NONE')`;
}

/**
 * SQL (a parenthesised subquery) of (id, access) for every folder the client user `userParam` can see,
 * in the administrations they are a member of with the portal on. `userParam` is a placeholder such
 * as `:archiveUserId` or `$1`.
 */
function visibleFoldersSql(userParam: string): string {
  const viewers = `(SELECT m.user_id, m.administration_id FROM memberships m WHERE m.user_id = ${userParam})`;
  return `(WITH RECURSIVE ${reachSql(viewers, false)} SELECT id, access FROM reach WHERE access <> 'NONE')`;
}

/** SQL condition: document `alias` is outside the archive, or in a folder client user `userParam` can see. */
export function documentFolderVisibleSql(alias: string, userParam: string): string {
  return `(${alias}.folder_id IS NULL OR ${alias}.folder_id IN (SELECT id FROM ${visibleFoldersSql(userParam)} vf))`;
}

/** True for actors who see every folder of their firm (staff, API tokens, the system). */
export function seesWholeArchive(actor: Actor): boolean {
  return !isClient(actor);
}

/** Whether `actor` may mark a folder as real estate (10 years' retention): the firm decides that. */
export function mayMarkRealEstate(actor: Actor): boolean {
  return !isClient(actor);
}

/** The client user whose folder access limits what `viewer` sees of the archive; null for those who see all of it. */
export function folderLimitedUser(viewer: Viewer): string | null {
  return isClient(viewer) ? viewer.userId : null;
}

/**
 * Whether `actor` may hear of a change to a folder: one they can see; a deleted one (judged by its
 * parent) only if they could see it, which the event lists (`visibleTo`), or they see the whole archive.
 */
export async function mayHearOfFolder(
  manager: EntityManager,
  actor: Actor,
  change: { folderId: string; parentId: string | null; removed: boolean; visibleTo?: string[] },
): Promise<boolean> {
  if (!change.removed) return (await folderAccess(manager, actor, [change.folderId])).has(change.folderId);
  if (!change.parentId || !(await folderAccess(manager, actor, [change.parentId])).has(change.parentId)) return false;
  const client = folderLimitedUser(actor);
  return client === null || (change.visibleTo ?? []).includes(client);
}

/** The actor's access to each of `folderIds` (missing: no access or not visible). */
export async function folderAccess(manager: EntityManager, actor: Actor, folderIds: string[]): Promise<Map<string, FolderAccess>> {
  const result = new Map<string, FolderAccess>();
  if (folderIds.length === 0) return result;
  if (seesWholeArchive(actor)) {
    const folders = await manager
      .getRepository(ArchiveFolder)
      .createQueryBuilder("f")
      .select("f.id", "id")
      .where("f.id IN (:...ids)", { ids: folderIds })
      .andWhere(actor.type === "SYSTEM" ? "true" : "f.firm_id = :firmId", { firmId: actor.type === "SYSTEM" ? null : actor.firmId })
      .andWhere(tokenAdministrationLimit(actor) ? "f.administration_id = ANY(:limit)" : "true", { limit: tokenAdministrationLimit(actor) })
      .getRawMany<{ id: string }>();
    for (const { id } of folders) result.set(id, FolderAccess.MANAGE);
    return result;
  }
  const rows = (await manager.query(`SELECT v.id, v.access FROM ${visibleFoldersSql("$1")} v WHERE v.id = ANY($2)`, [folderLimitedUser(actor), folderIds])) as Array<{
    id: string;
    access: FolderAccess;
  }>;
  for (const row of rows) result.set(row.id, row.access);
  return result;
}

/** The key of `clientAccessByFolder` for "any client user without a grant of their own" (a future one, too). */
export const ANY_CLIENT = "";

/**
 * Each client user's access to each of `folderIds` (NONE where they cannot see it), and that of any
 * client without a grant of their own (key ANY_CLIENT), for folders of any administrations, in one
 * statement. With `ignorePortal` (the default) as it would be with the portal on: to keep who may use
 * a folder unchanged when it moves; without it as the clients see it now.
 */
export async function clientAccessByFolder(
  manager: EntityManager,
  folderIds: readonly string[],
  options: { ignorePortal: boolean } = { ignorePortal: true },
): Promise<Map<string, Map<string, FolderAccess>>> {
  const result = new Map(folderIds.map((id) => [id, new Map<string, FolderAccess>()]));
  if (folderIds.length === 0) return result;
  const administrations = "(SELECT DISTINCT administration_id FROM archive_folders WHERE id = ANY($1))";
  const viewers = `(SELECT m.user_id, m.administration_id FROM memberships m WHERE m.administration_id IN ${administrations}
     UNION ALL SELECT CAST(NULL AS uuid), administration_id FROM ${administrations} adm)`;
  const rows = (await manager.query(
    `WITH RECURSIVE ${reachSql(viewers, options.ignorePortal)}
     SELECT coalesce(v.user_id::text, '') AS key, f.id, coalesce(r.access, 'NONE') AS access
       FROM ${viewers} v
       JOIN archive_folders f ON f.administration_id = v.administration_id AND f.id = ANY($1)
       LEFT JOIN reach r ON r.id = f.id AND r.user_id IS NOT DISTINCT FROM v.user_id AND r.access <> 'NONE'`,
    [folderIds],
  )) as Array<{ key: string; id: string; access: FolderAccess }>;
  for (const row of rows) result.get(row.id)!.set(row.key, row.access);
  return result;
}

/** Limits a query of folders (alias `alias`) to those `actor` can see. */
export function scopeVisibleFolders<T extends object>(qb: SelectQueryBuilder<T>, alias: string, actor: Actor): SelectQueryBuilder<T> {
  const client = folderLimitedUser(actor);
  if (client) return qb.andWhere(`${alias}.id IN (SELECT id FROM ${visibleFoldersSql(":archiveUserId")} vf)`, { archiveUserId: client });
  if (actor.type !== "SYSTEM") qb.andWhere(`${alias}.firm_id = :archiveFirmId`, { archiveFirmId: actor.firmId });
  const limit = tokenAdministrationLimit(actor);
  if (limit) qb.andWhere(`${alias}.administration_id = ANY(:archiveTokenLimit)`, { archiveTokenLimit: limit });
  return qb;
}

/**
 * The folder, when the actor may see it and has at least `needed` access: NOT_FOUND when they may
 * not see it (it does not exist for them), FORBIDDEN when they see it but may not do this.
 */
export async function findFolderWithAccess(
  manager: EntityManager,
  actor: Actor,
  id: string,
  needed: FolderAccess = FolderAccess.VIEW,
): Promise<{ folder: ArchiveFolder; access: FolderAccess }> {
  const access = (await folderAccess(manager, actor, [id])).get(id);
  if (!access) throw new NotFoundError("ArchiveFolder");
  const folder = await manager.getRepository(ArchiveFolder).findOneByOrFail({ id });
  if (ACCESS_RANK[access] < ACCESS_RANK[needed]) {
    throw new ForbiddenError(`You need ${needed} access to folder "${folder.name}" for this`);
  }
  return { folder, access };
}

/** What API tokens need for this module's fields (core/api-scopes.ts). */
export const ARCHIVE_SCOPES: ScopeRules = {
  "Mutation.createArchiveFolder": needs(ApiScope.ARCHIVE_WRITE),
  "Mutation.renameArchiveFolder": needs(ApiScope.ARCHIVE_WRITE),
  "Mutation.moveArchiveFolder": needs(ApiScope.ARCHIVE_WRITE),
  "Mutation.deleteArchiveFolder": needs(ApiScope.ARCHIVE_WRITE),
  "Mutation.setArchiveFolderAccess": needs(ApiScope.ARCHIVE_WRITE),
  "Mutation.moveDocumentsToFolder": needs(ApiScope.ARCHIVE_WRITE),
  "Administration.archive": needs(ApiScope.ARCHIVE_READ),
  "node:ArchiveFolder": needs(ApiScope.ARCHIVE_READ),
};

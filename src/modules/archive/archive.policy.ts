// Who may do what in the archive. Staff of the firm (and API tokens) may do everything. A client
// user's access to a folder is the nearest grant walking up the tree — a grant for them beats the
// all-clients grant on the same folder — and NONE at the root when nothing is granted. A folder is
// visible only when it and every folder above it are at least VIEW, so no path shows a hidden name.
// Every way into folders and archive documents uses the one SQL fragment below.
import type { EntityManager, SelectQueryBuilder } from "typeorm";
import { type Actor, isClient, type Viewer } from "../../core/actor.js";
import { ForbiddenError, NotFoundError } from "../../core/errors.js";
import { ArchiveFolder } from "./archive-folder.entity.js";
import { ACCESS_RANK, FolderAccess } from "./archive-grant.entity.js";

const grantFor = (folder: string, userParam: string) => `(
    SELECT coalesce(
      (SELECT g.access FROM archive_folder_grants g WHERE g.folder_id = ${folder} AND g.user_id = ${userParam}),
      (SELECT g.access FROM archive_folder_grants g WHERE g.folder_id = ${folder} AND g.user_id IS NULL)))`;

/**
 * SQL (a parenthesised subquery) of (id, access) for every folder the client user `userParam` can see,
 * in the administrations they are a member of with the portal on (or, with `ignorePortal`, as they
 * would with it on). `userParam` is a placeholder such as `:archiveUserId` or `$1`.
 */
export function visibleFoldersSql(userParam: string, options: { ignorePortal?: boolean; anyClientOf?: string } = {}): string {
  // `anyClientOf` (an administration placeholder): a client user of it with no grant of their own.
  const member = options.anyClientOf
    ? `WHERE f.administration_id = ${options.anyClientOf} AND`
    : `JOIN memberships m ON m.administration_id = f.administration_id AND m.user_id = ${userParam}
       WHERE`;
  return `(
    WITH RECURSIVE reach(id, access) AS (
      SELECT f.id, coalesce(${grantFor("f.id", userParam)}, 'NONE')
        FROM archive_folders f
        JOIN administrations a ON a.id = f.administration_id${options.ignorePortal ? "" : " AND a.portal_enabled"}
        ${member} f.parent_id IS NULL
      UNION ALL
      SELECT c.id, coalesce(${grantFor("c.id", userParam)}, reach.access)
        FROM archive_folders c JOIN reach ON c.parent_id = reach.id
       WHERE reach.access <> 'NONE'
    )
    SELECT id, access FROM reach WHERE access <> 'NONE')`;
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
 * client without a grant of their own (key ANY_CLIENT), as it would be with the portal on: to keep
 * who may use a folder unchanged when it moves.
 */
export async function clientAccessByFolder(
  manager: EntityManager,
  administrationId: string,
  folderIds: string[],
  options: { ignorePortal: boolean } = { ignorePortal: true },
): Promise<Map<string, Map<string, FolderAccess>>> {
  const result = new Map(folderIds.map((id) => [id, new Map<string, FolderAccess>()]));
  const members = (await manager.query("SELECT user_id FROM memberships WHERE administration_id = $1", [administrationId])) as Array<{ user_id: string }>;
  const viewers: Array<{ key: string; sql: string; values: unknown[] }> = [
    { key: ANY_CLIENT, sql: visibleFoldersSql("NULL::uuid", { ...options, anyClientOf: "$1" }), values: [administrationId] },
    ...members.map((m) => ({ key: m.user_id, sql: visibleFoldersSql("$1", options), values: [m.user_id] })),
  ];
  for (const viewer of viewers) {
    for (const id of folderIds) result.get(id)!.set(viewer.key, FolderAccess.NONE);
    const rows = (await manager.query(`SELECT v.id, v.access FROM ${viewer.sql} v WHERE v.id = ANY($2)`, [...viewer.values, folderIds])) as Array<{
      id: string;
      access: FolderAccess;
    }>;
    for (const row of rows) result.get(row.id)!.set(viewer.key, row.access);
  }
  return result;
}

/** Limits a query of folders (alias `alias`) to those `actor` can see. */
export function scopeVisibleFolders<T extends object>(qb: SelectQueryBuilder<T>, alias: string, actor: Actor): SelectQueryBuilder<T> {
  const client = folderLimitedUser(actor);
  if (client) return qb.andWhere(`${alias}.id IN (SELECT id FROM ${visibleFoldersSql(":archiveUserId")} vf)`, { archiveUserId: client });
  if (actor.type !== "SYSTEM") qb.andWhere(`${alias}.firm_id = :archiveFirmId`, { archiveFirmId: actor.firmId });
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

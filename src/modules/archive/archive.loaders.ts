import DataLoader from "dataloader";
import { requireActor } from "../../core/actor.js";
import { groupByKey, type LoaderFactory } from "../../graphql/loaders.js";
import { ArchiveFolder } from "./archive-folder.entity.js";
import type { FolderAccess } from "./archive-grant.entity.js";
import { folderAccess } from "./archive.policy.js";
import type { EffectiveAccess } from "./archive.service.js";

export interface FolderWithAccess {
  folder: ArchiveFolder;
  access: FolderAccess;
}

/** The viewer's access per folder id (null: not visible). */
export const viewerFolderAccess: LoaderFactory<string, FolderAccess | null> = ({ dataSource }, viewer) =>
  new DataLoader(async (ids) => {
    const access = await folderAccess(dataSource.manager, requireActor(viewer), [...ids]);
    return ids.map((id) => access.get(id) ?? null);
  });

/** Visible child folders per parent id, by name, with the viewer's access (two statements for any number of parents). */
export const visibleChildren: LoaderFactory<string, FolderWithAccess[]> = (services, viewer) =>
  new DataLoader(async (parentIds) => {
    const actor = requireActor(viewer);
    const children = await services.archive.children(actor, parentIds);
    const access = await folderAccess(
      services.dataSource.manager,
      actor,
      children.map((c) => c.id),
    );
    const withAccess = children.flatMap((folder) => {
      const level = access.get(folder.id);
      return level ? [{ folder, access: level }] : [];
    });
    return groupByKey(parentIds, withAccess, (c) => c.folder.parentId!);
  });

/** Folders by id (no access check: pair with viewerFolderAccess). */
export const folderById: LoaderFactory<string, ArchiveFolder | null> = ({ dataSource }) =>
  new DataLoader(async (ids) => {
    const folders = await dataSource
      .getRepository(ArchiveFolder)
      .createQueryBuilder("f")
      .where("f.id IN (:...ids)", { ids: [...ids] })
      .getMany();
    return ids.map((id) => folders.find((f) => f.id === id) ?? null);
  });

/** Live documents per folder (a folder the viewer sees shows all its documents to them). */
export const documentCountByFolder: LoaderFactory<string, number> = ({ dataSource }) =>
  new DataLoader(async (ids) => {
    const rows = (await dataSource.query(
      `SELECT folder_id, count(*)::int AS n FROM documents
        WHERE folder_id = ANY($1) AND removed_at IS NULL AND replaced_at IS NULL GROUP BY folder_id`,
      [[...ids]],
    )) as Array<{ folder_id: string; n: number }>;
    return ids.map((id) => rows.find((r) => r.folder_id === id)?.n ?? 0);
  });

/** Each administration's root folder with the viewer's access; null when the viewer sees none of the archive (two statements for a page). */
export const archiveRootByAdministration: LoaderFactory<string, FolderWithAccess | null> = (services, viewer) =>
  new DataLoader(async (administrationIds) => {
    const roots = await services.archive.roots(administrationIds);
    const access = await folderAccess(
      services.dataSource.manager,
      requireActor(viewer),
      roots.map((r) => r.id),
    );
    return administrationIds.map((id) => {
      const folder = roots.find((r) => r.administrationId === id);
      const level = folder && access.get(folder.id);
      return folder && level ? { folder, access: level } : null;
    });
  });

/** Names from the root down, per folder id. */
export const folderPathById: LoaderFactory<string, string[]> = ({ archive }) => new DataLoader((ids) => archive.paths(ids));

/** Each client user's effective access per folder (staff only; three statements for a page). */
export const effectiveAccessByFolder: LoaderFactory<ArchiveFolder, EffectiveAccess[]> = ({ archive }, viewer) =>
  new DataLoader((folders) => archive.effectiveAccess(requireActor(viewer), folders), { cacheKeyFn: (f) => f.id });

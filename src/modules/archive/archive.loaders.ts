import DataLoader from "dataloader";
import { requireActor } from "../../core/actor.js";
import { groupByKey, type LoaderFactory } from "../../graphql/loaders.js";
import { ArchiveFolder } from "./archive-folder.entity.js";
import type { FolderAccess } from "./archive-grant.entity.js";
import { folderAccess } from "./archive.policy.js";

export interface FolderWithAccess {
  folder: ArchiveFolder;
  access: FolderAccess;
}

/** The viewer's access per folder id (undefined: not visible). */
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

// The archive module: what it contributes (src/modules/module.ts).
import { fetchOne, type PortalDeskModule } from "../module.js";
import { ArchiveFolder } from "./archive-folder.entity.js";
import { ArchiveFolderGrant } from "./archive-grant.entity.js";
import { AdministrationArchiveResolver, ArchiveFolderResolver, DocumentFolderResolver } from "./archive.resolver.js";
import { ArchiveFolderType } from "./archive.types.js";
import { ARCHIVE_SCOPES } from "./archive.policy.js";

export const archiveModule: PortalDeskModule = {
  name: "archive",
  scopes: ARCHIVE_SCOPES,
  entities: [ArchiveFolder, ArchiveFolderGrant],
  resolvers: [ArchiveFolderResolver, AdministrationArchiveResolver, DocumentFolderResolver],
  nodes: {
    ArchiveFolder: fetchOne(async (s, actor, id) => {
      const { folder, access } = await s.archive.get(actor, id);
      return ArchiveFolderType.from(folder, access);
    }),
  },
};

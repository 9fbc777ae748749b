import DataLoader from "dataloader";
import { type LoaderFactory, visibleById } from "../../graphql/loaders.js";
import { documentFolderVisibleSql, folderLimitedUser } from "../archive/archive.policy.js";
import { scopeVisibleDocuments } from "./document.policy.js";
import { Document, DocumentLocation, type DocumentStatus, type TrayKind } from "./document.entity.js";

/** Documents by id that the viewer may see (null otherwise), e.g. a document's `duplicateOf`. */
export const visibleDocumentById = visibleById(Document, scopeVisibleDocuments);

export interface PlaceCounts {
  /** Count of live documents at a place: `DESK`, or a tray kind, optionally per status. */
  count(place: "DESK" | TrayKind, status?: DocumentStatus | null): number;
}

/** Live document counts per place and status, for many administrations in one statement. */
export const documentCountsByAdministration: LoaderFactory<string, PlaceCounts> = ({ dataSource }, viewer) =>
  new DataLoader(async (ids) => {
    // A client counts only archive documents in folders they can see (like every list).
    const client = folderLimitedUser(viewer);
    const rows = (await dataSource.query(
      `SELECT administration_id, location, tray, status, count(*)::int AS n
         FROM documents d
        WHERE administration_id = ANY($1) AND removed_at IS NULL AND replaced_at IS NULL
          ${client ? `AND ${documentFolderVisibleSql("d", "$2")}` : ""}
        GROUP BY 1, 2, 3, 4`,
      client ? [[...ids], client] : [[...ids]],
    )) as Array<{ administration_id: string; location: DocumentLocation; tray: TrayKind | null; status: DocumentStatus; n: number }>;
    return ids.map((id) => {
      const own = rows.filter((r) => r.administration_id === id);
      return {
        count(place, status) {
          return own
            .filter((r) => (place === "DESK" ? r.location === DocumentLocation.DESK : r.tray === place) && (!status || r.status === status))
            .reduce((sum, r) => sum + r.n, 0);
        },
      };
    });
  });

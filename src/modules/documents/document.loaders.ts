import DataLoader from "dataloader";
import { In } from "typeorm";
import { byKey, type LoaderFactory } from "../../graphql/loaders.js";
import { Document, DocumentLocation, type DocumentStatus, type TrayKind } from "./document.entity.js";

/** Documents by id, removed ones excluded (callers reach them through checked objects). */
export const documentById: LoaderFactory<string, Document | null> = ({ dataSource }) =>
  new DataLoader(async (ids) =>
    byKey(
      ids,
      (await dataSource.getRepository(Document).findBy({ id: In([...ids]) })).filter((d) => !d.removedAt),
      (d) => d.id,
    ),
  );

export interface PlaceCounts {
  /** Count of live documents at a place: `DESK`, or a tray kind, optionally per status. */
  count(place: "DESK" | TrayKind, status?: DocumentStatus | null): number;
}

/** Live document counts per place and status, for many administrations in one statement. */
export const documentCountsByAdministration: LoaderFactory<string, PlaceCounts> = ({ dataSource }) =>
  new DataLoader(async (ids) => {
    const rows = (await dataSource.query(
      `SELECT administration_id, location, tray, status, count(*)::int AS n
         FROM documents
        WHERE administration_id = ANY($1) AND removed_at IS NULL AND replaced_at IS NULL
        GROUP BY 1, 2, 3, 4`,
      [[...ids]],
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

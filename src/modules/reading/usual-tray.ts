// Where a supplier's documents usually go, learned from how people filed them: the tray (purchase,
// sales or receipts) that at least two of its earlier documents in the administration are in, the
// most. A supplier whose invoices the firm books as receipts gets its next one suggested there.
import DataLoader from "dataloader";
import type { EntityManager } from "typeorm";
import type { LoaderFactory } from "../../graphql/loaders.js";
import { TrayKind } from "../documents/document.entity.js";

/** Earlier documents in one tray that make it the supplier's usual one. */
const USUAL_AFTER = 2;

type Key = { administrationId: string; supplierKey: string };

async function usualTrays(manager: EntityManager, keys: readonly Key[]): Promise<Array<TrayKind | null>> {
  const rows = (await manager.query(
    `SELECT k.n, best.tray FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS k(adm, key, n)
       CROSS JOIN LATERAL (
         SELECT d.tray FROM invoices i JOIN documents d ON d.id = i.document_id
          WHERE i.administration_id = k.adm AND i.supplier_key = k.key AND d.location = 'TRAY'
            AND d.tray IN ('PURCHASE', 'SALES', 'RECEIPTS') AND d.removed_at IS NULL AND d.replaced_at IS NULL
          GROUP BY d.tray HAVING count(*) >= $3 ORDER BY count(*) DESC, d.tray LIMIT 1) best`,
    [keys.map((k) => k.administrationId), keys.map((k) => k.supplierKey), USUAL_AFTER],
  )) as Array<{ n: string; tray: TrayKind }>;
  return keys.map((_, i) => rows.find((r) => Number(r.n) === i + 1)?.tray ?? null);
}

/** The usual tray of one supplier (null when it has none yet). */
export async function usualTray(manager: EntityManager, administrationId: string, supplierKey: string | null): Promise<TrayKind | null> {
  return supplierKey ? ((await usualTrays(manager, [{ administrationId, supplierKey }]))[0] ?? null) : null;
}

/** The same for a page of documents, in one statement. */
export const usualTrayOfSupplier: LoaderFactory<Key, TrayKind | null> = ({ dataSource }) =>
  new DataLoader((keys) => usualTrays(dataSource.manager, keys), { cacheKeyFn: (k) => `${k.administrationId}|${k.supplierKey}` });

// Batched loads for filing fields: warnings of a page of filings, and whether the viewer may approve.
import DataLoader from "dataloader";
import { requireActor } from "../../core/actor.js";
import type { LoaderFactory } from "../../graphql/loaders.js";
import type { Filing } from "./filing.entity.js";
import { mayApprove } from "./filing.policy.js";
import type { FilingWarning } from "./vat-return.js";

export const filingWarnings: LoaderFactory<Filing, FilingWarning[]> = ({ filings }, viewer) =>
  new DataLoader(
    async (keys) => {
      const warnings = await filings.warnings(requireActor(viewer), [...keys]);
      return keys.map((f) => warnings.get(f.id) ?? []);
    },
    { cacheKeyFn: (f) => f.id },
  );

/** Per administration: may the viewer approve its filings? */
export const viewerMayApprove: LoaderFactory<string, boolean> = ({ dataSource }, viewer) =>
  new DataLoader(async (administrationIds) => {
    const actor = requireActor(viewer);
    return Promise.all(administrationIds.map((id) => mayApprove(dataSource.manager, actor, id)));
  });

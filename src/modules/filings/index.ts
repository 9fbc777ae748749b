// The filings module: what it contributes (src/modules/module.ts).
import { fetchThrough, type PortalDeskModule } from "../module.js";
import { visibleFilingById } from "./filing.loaders.js";
import { Filing, FilingKind } from "./filing.entity.js";
import { AdministrationFilingsResolver, FilingResolver } from "./filing.resolver.js";
import { filingType } from "./filing.types.js";
import { FILING_SCOPES } from "./filing.policy.js";

/** A VatReturn id must name a VAT return (and an IcpDeclaration id an ICP declaration). */
const ofKind = (kind: FilingKind) => (filing: Filing) => (filing.kind === kind ? filingType(filing) : null);

export const filingsModule: PortalDeskModule = {
  name: "filings",
  scopes: FILING_SCOPES,
  entities: [Filing],
  resolvers: [FilingResolver, AdministrationFilingsResolver],
  nodes: {
    VatReturn: fetchThrough(visibleFilingById, ofKind(FilingKind.VAT_RETURN)),
    IcpDeclaration: fetchThrough(visibleFilingById, ofKind(FilingKind.ICP_DECLARATION)),
  },
  queues: [{ name: "filing.submit" }, { name: "filing.poll", batchSize: 10 }],
  async jobs({ jobs, submissions }) {
    await jobs.work<{ filingId: string }>("filing.submit", (data, run) => submissions.send(data.filingId, run));
    await jobs.work<{ filingId?: string }>("filing.poll", async (data) => {
      // The scheduled run (no filing) re-polls every pending submission: a safety net for broken chains.
      if (data.filingId) await submissions.poll(data.filingId);
      else await submissions.pollPending();
    });
    await jobs.schedule("filing.poll", "*/10 * * * *");
  },
};

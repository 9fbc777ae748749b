// The filings module: what it contributes (src/modules/module.ts).
import { NotFoundError } from "../../core/errors.js";
import type { Node } from "../../graphql/relay.js";
import type { PortalDeskModule } from "../module.js";
import { Filing, FilingKind } from "./filing.entity.js";
import { AdministrationFilingsResolver, FilingResolver } from "./filing.resolver.js";
import { filingType } from "./filing.types.js";

/** A VatReturn id must name a VAT return (and an IcpDeclaration id an ICP declaration). */
function ofKind(filing: Filing, kind: FilingKind): Node {
  if (filing.kind !== kind) throw new NotFoundError("Filing");
  return filingType(filing);
}

export const filingsModule: PortalDeskModule = {
  name: "filings",
  entities: [Filing],
  resolvers: [FilingResolver, AdministrationFilingsResolver],
  nodes: {
    VatReturn: async (s, actor, id) => ofKind(await s.filings.get(actor, id), FilingKind.VAT_RETURN),
    IcpDeclaration: async (s, actor, id) => ofKind(await s.filings.get(actor, id), FilingKind.ICP_DECLARATION),
  },
  queues: [{ name: "filing.submit" }, { name: "filing.poll", batchSize: 10 }],
  async jobs({ jobs, submissions }) {
    await jobs.work<{ filingId: string }>("filing.submit", (data) => submissions.send(data.filingId));
    await jobs.work<{ filingId?: string }>("filing.poll", async (data) => {
      // The scheduled run (no filing) re-polls every pending submission: a safety net for broken chains.
      if (data.filingId) await submissions.poll(data.filingId);
      else await submissions.pollPending();
    });
    await jobs.schedule("filing.poll", "*/10 * * * *");
  },
};

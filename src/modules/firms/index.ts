// The firms module: what it contributes (src/modules/module.ts).
import { fetchOne, type PortalDeskModule } from "../module.js";
import { Firm } from "./firm.entity.js";
import { FirmType } from "./firm.types.js";
import { FirmResolver } from "./firm.resolver.js";
import { FIRM_SCOPES } from "./firm.policy.js";

export const firmsModule: PortalDeskModule = {
  name: "firms",
  scopes: FIRM_SCOPES,
  blobColumns: ["firms.logo_sha256"],
  entities: [Firm],
  resolvers: [FirmResolver],
  nodes: { Firm: fetchOne(async (s, actor, id) => FirmType.from(await s.firms.findVisible(actor, id))) },
};

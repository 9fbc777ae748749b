// The firms module: what it contributes (src/modules/module.ts).
import { fetchOne, type PortalDeskModule } from "../module.js";
import { Firm } from "./firm.entity.js";
import { FirmType } from "./firm.types.js";

export const firmsModule: PortalDeskModule = {
  name: "firms",
  entities: [Firm],
  nodes: { Firm: fetchOne(async (s, actor, id) => FirmType.from(await s.firms.findVisible(actor, id))) },
};

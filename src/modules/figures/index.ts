// The figures module: what it contributes (src/modules/module.ts).
import type { PortalDeskModule } from "../module.js";
import { AdministrationFiguresResolver, FiguresResolver } from "./figures.resolver.js";
import { FIGURES_SCOPES } from "./figures.policy.js";

export const figuresModule: PortalDeskModule = {
  name: "figures",
  scopes: FIGURES_SCOPES,
  resolvers: [FiguresResolver, AdministrationFiguresResolver],
};

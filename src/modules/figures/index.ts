// The figures module: what it contributes (src/modules/module.ts).
import type { PortalDeskModule } from "../module.js";
import { AdministrationFiguresResolver, FiguresResolver } from "./figures.resolver.js";

export const figuresModule: PortalDeskModule = {
  name: "figures",
  resolvers: [FiguresResolver, AdministrationFiguresResolver],
};

// The administrations module: what it contributes (src/modules/module.ts).
import type { PortalDeskModule } from "../module.js";
import { Administration } from "./administration.entity.js";
import { AdministrationResolver, MembershipResolver } from "./administration.resolver.js";
import { AdministrationType, MembershipType } from "./administration.types.js";
import { Membership } from "./membership.entity.js";

export const administrationsModule: PortalDeskModule = {
  name: "administrations",
  entities: [Administration, Membership],
  resolvers: [AdministrationResolver, MembershipResolver],
  nodes: {
    Administration: async (s, actor, id) => AdministrationType.from(await s.administrations.get(actor, id)),
    Membership: async (s, actor, id) => MembershipType.from(await s.administrations.findVisibleMembership(actor, id)),
  },
};

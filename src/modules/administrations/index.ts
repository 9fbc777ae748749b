// The administrations module: what it contributes (src/modules/module.ts).
import { fetchOne, fetchThrough, type PortalDeskModule } from "../module.js";
import { visibleAdministrationById } from "./administration.loaders.js";
import { Administration } from "./administration.entity.js";
import { AdministrationResolver, MembershipResolver } from "./administration.resolver.js";
import { AdministrationType, MembershipType } from "./administration.types.js";
import { Membership } from "./membership.entity.js";
import { ADMINISTRATION_SCOPES } from "./administration.policy.js";

export const administrationsModule: PortalDeskModule = {
  name: "administrations",
  scopes: ADMINISTRATION_SCOPES,
  entities: [Administration, Membership],
  resolvers: [AdministrationResolver, MembershipResolver],
  nodes: {
    Administration: fetchThrough(visibleAdministrationById, (a) => AdministrationType.from(a)),
    Membership: fetchOne(async (s, actor, id) => MembershipType.from(await s.administrations.findVisibleMembership(actor, id))),
  },
};

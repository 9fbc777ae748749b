// The auth module: what it contributes (src/modules/module.ts).
import { fetchOne, type PortalDeskModule } from "../module.js";
import { ApiToken } from "./api-token.entity.js";
import { ApiTokenResolver, AuthResolver } from "./auth.resolver.js";
import { ApiTokenType } from "./auth.types.js";
import { Invitation } from "./invitation.entity.js";
import { Session } from "./session.entity.js";

export const authModule: PortalDeskModule = {
  name: "auth",
  entities: [Session, ApiToken, Invitation],
  resolvers: [AuthResolver, ApiTokenResolver],
  nodes: { ApiToken: fetchOne(async (s, actor, id) => ApiTokenType.from(await s.auth.findApiToken(actor, id))) },
};

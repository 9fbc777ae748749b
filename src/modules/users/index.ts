// The users module: what it contributes (src/modules/module.ts).
import { fetchOne, type PortalDeskModule } from "../module.js";
import { User } from "./user.entity.js";
import { UserResolver } from "./user.resolver.js";
import { UserType } from "./user.types.js";
import { USER_SCOPES } from "./user.policy.js";

export const usersModule: PortalDeskModule = {
  name: "users",
  scopes: USER_SCOPES,
  entities: [User],
  resolvers: [UserResolver],
  nodes: { User: fetchOne(async (s, actor, id) => UserType.from(await s.users.findVisible(actor, id))) },
};

// Builds the executable schema from every module's resolvers.
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { AdministrationResolver, MembershipResolver } from "../modules/administrations/administration.resolver.js";
import { AuditResolver } from "../modules/audit/audit.resolver.js";
import { ApiTokenResolver, AuthResolver } from "../modules/auth/auth.resolver.js";
import { NodeResolver } from "../modules/node.resolver.js";
import { NotificationResolver } from "../modules/notifications/notification.resolver.js";
import { UserResolver } from "../modules/users/user.resolver.js";

export const resolvers = [
  NodeResolver,
  AuthResolver,
  ApiTokenResolver,
  UserResolver,
  AdministrationResolver,
  MembershipResolver,
  AuditResolver,
  NotificationResolver,
] as const;

// Subscriptions give their own `subscribe` over the event bus (src/events/bus.ts); topic-based
// pub/sub of type-graphql is not used, but buildSchema insists on one.
const noTopicPubSub = {
  publish(): void {
    throw new Error("publish through EventBus.publish, inside the transaction");
  },
  subscribe(): AsyncIterable<unknown> {
    throw new Error("subscriptions use their own subscribe function");
  },
};

let built: Promise<GraphQLSchema> | null = null;

/** The schema is the same for every server instance in a process: build it once. */
export function getSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({ resolvers: [...resolvers], validate: false, emitSchemaFile: false, pubSub: noTopicPubSub });
  return built;
}

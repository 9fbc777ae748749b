// Builds the executable schema from the resolvers given (every module's: src/modules/index.ts).
import type { ClassType } from "../core/class-type.js";
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { UserErrorResolver } from "./payload.js";
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

const ROOT_DESCRIPTIONS = {
  Query: "Everything that can be read. Most fields need a signed-in user or an API token.",
  Mutation: "Everything that changes state. Each takes one `input` and returns a payload with `userErrors`.",
  Subscription: "Live events over WebSocket (graphql-transport-ws), authenticated in `connection_init`.",
};

async function build(resolvers: ClassType[]): Promise<GraphQLSchema> {
  const schema = await buildSchema({ resolvers: [UserErrorResolver, ...resolvers], validate: false, emitSchemaFile: false, pubSub: noTopicPubSub });
  // type-graphql has no way to describe the root types; they are plain graphql-js objects.
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (root) (root as { description: string | null | undefined }).description = ROOT_DESCRIPTIONS[root.name as keyof typeof ROOT_DESCRIPTIONS];
  }
  return schema;
}

/** The schema is the same for every server instance in a process: built once, from the first list given. */
export function getSchema(resolvers: ClassType[]): Promise<GraphQLSchema> {
  built ??= build(resolvers);
  return built;
}

// Builds the executable schema from every module's resolvers.
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { AdministrationResolver, MembershipResolver } from "../modules/administrations/administration.resolver.js";
import { AuditResolver } from "../modules/audit/audit.resolver.js";
import { ApiTokenResolver, AuthResolver } from "../modules/auth/auth.resolver.js";
import { NodeResolver } from "../modules/node.resolver.js";
import { NotificationResolver } from "../modules/notifications/notification.resolver.js";
import { UserResolver } from "../modules/users/user.resolver.js";
import { AdministrationEventsResolver } from "../modules/documents/administration-events.js";
import { SearchResolver } from "../modules/documents/search.resolver.js";
import { AdministrationFilingsResolver, FilingResolver } from "../modules/filings/filing.resolver.js";
import { AdministrationFiguresResolver, FiguresResolver } from "../modules/figures/figures.resolver.js";
import { AdministrationReportsResolver, ReportResolver } from "../modules/reports/report.resolver.js";
import { DeskSummaryResolver, RemindClientResolver } from "../modules/reminders/reminders.graphql.js";
import { AdministrationArchiveResolver, ArchiveFolderResolver, DocumentFolderResolver } from "../modules/archive/archive.resolver.js";
import { AdministrationDocumentsResolver, DeskResolver, DocumentResolver, TrayResolver } from "../modules/documents/document.resolver.js";

export const resolvers = [
  NodeResolver,
  AuthResolver,
  ApiTokenResolver,
  UserResolver,
  AdministrationResolver,
  MembershipResolver,
  AuditResolver,
  NotificationResolver,
  DocumentResolver,
  AdministrationDocumentsResolver,
  DeskResolver,
  TrayResolver,
  AdministrationEventsResolver,
  ArchiveFolderResolver,
  AdministrationArchiveResolver,
  DocumentFolderResolver,
  SearchResolver,
  FilingResolver,
  AdministrationFilingsResolver,
  FiguresResolver,
  AdministrationFiguresResolver,
  ReportResolver,
  AdministrationReportsResolver,
  DeskSummaryResolver,
  RemindClientResolver,
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

const ROOT_DESCRIPTIONS = {
  Query: "Everything that can be read. Most fields need a signed-in user or an API token.",
  Mutation: "Everything that changes state. Each takes one `input` and returns a payload with `userErrors`.",
  Subscription: "Live events over WebSocket (graphql-transport-ws), authenticated in `connection_init`.",
};

async function build(): Promise<GraphQLSchema> {
  const schema = await buildSchema({ resolvers: [...resolvers], validate: false, emitSchemaFile: false, pubSub: noTopicPubSub });
  // type-graphql has no way to describe the root types; they are plain graphql-js objects.
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (root) (root as { description: string | null | undefined }).description = ROOT_DESCRIPTIONS[root.name as keyof typeof ROOT_DESCRIPTIONS];
  }
  return schema;
}

/** The schema is the same for every server instance in a process: build it once. */
export function getSchema(): Promise<GraphQLSchema> {
  built ??= build();
  return built;
}

// What a module contributes to the application, declared once in its own index.ts and listed in
// src/modules/index.ts: the data source, the schema, node(id) and the job queue read these lists,
// so adding a module is one line there.
import type { ClassType } from "../core/class-type.js";
import type { Actor } from "../core/actor.js";
import type { Node } from "../graphql/relay.js";
import type { QueueDefinition } from "../jobs/job-queue.js";
import type { Services } from "../services.js";

/** Fetches one object of a Node type for `actor`, through the module's policy (NOT_FOUND when hidden). */
export type NodeFetcher = (services: Services, actor: Actor, id: string) => Promise<Node>;

export interface PortalDeskModule {
  name: string;
  /** TypeORM entity classes. */
  entities?: ClassType[];
  /** type-graphql resolver classes. */
  resolvers?: ClassType[];
  /** Node types by GraphQL type name, for node(id:). */
  nodes?: Record<string, NodeFetcher>;
  /** The job queues it works on. */
  queues?: QueueDefinition[];
  /** Registers its job handlers and schedules (in processes that work jobs). */
  jobs?: (services: Services) => Promise<void>;
}

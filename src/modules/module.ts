// What a module contributes to the application, declared once in its own index.ts and listed in
// src/modules/index.ts: the data source, the schema, node(id) and the job queue read these lists,
// so adding a module is one line there.
import type { ScopeRules } from "../core/api-scopes.js";
import type { ClassType } from "../core/class-type.js";
import { type Actor, requireActor } from "../core/actor.js";
import { NotFoundError } from "../core/errors.js";
import type { GraphQLContext } from "../graphql/context.js";
import type { LoaderFactory } from "../graphql/loaders.js";
import type { Node } from "../graphql/relay.js";
import type { LinkKind, LinkResolver } from "./files/download-links.js";
import type { QueueDefinition } from "../jobs/job-queue.js";
import type { Services } from "../services.js";

/**
 * Fetches one object of a Node type for the request's viewer through the module's policy; null when
 * it does not exist for them. Through a loader where the module has one, so a page of notifications
 * fetches its subjects in a statement per type.
 */
export type NodeFetcher = (ctx: GraphQLContext, id: string) => Promise<Node | null>;

/** A NodeFetcher from a visible-by-id loader and the GraphQL type of a row. */
export function fetchThrough<E>(loader: LoaderFactory<string, E | null>, toNode: (row: E) => Node | null): NodeFetcher {
  return async (ctx, id) => {
    const row = await ctx.loaders.get(loader).load(id);
    return row ? toNode(row) : null;
  };
}

/** A NodeFetcher from a single lookup that throws NotFoundError when the object is hidden (rarely a notification's subject). */
export function fetchOne(lookup: (services: Services, actor: Actor, id: string) => Promise<Node>): NodeFetcher {
  return async (ctx, id) => {
    try {
      return await lookup(ctx.services, requireActor(ctx.viewer), id);
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  };
}

export interface PortalDeskModule {
  name: string;
  /** TypeORM entity classes. */
  entities?: ClassType[];
  /** type-graphql resolver classes. */
  resolvers?: ClassType[];
  /** Node types by GraphQL type name, for node(id:). */
  nodes?: Record<string, NodeFetcher>;
  /** What each kind of signed download link it makes serves (src/modules/files/download-links.ts). */
  links?: Partial<Record<LinkKind, LinkResolver>>;
  /** Columns ("table.column") that hold blob keys: the sweep keeps every blob one of them names. */
  blobColumns?: string[];
  /**
   * What an API token needs for its fields (core/api-scopes.ts), declared beside its policy: every
   * root field it contributes has a rule, and so do fields of other types that read what a scope guards.
   */
  scopes?: ScopeRules;
  /** The job queues it works on. */
  queues?: QueueDefinition[];
  /** Registers its job handlers and schedules (in processes that work jobs). */
  jobs?: (services: Services) => Promise<void>;
}

// Relay plumbing: the Node interface, PageInfo and the connection type factory.
import { ArgsType, type ClassType, Field, ID, Int, InterfaceType, ObjectType } from "type-graphql";
import type { Page } from "../db/pagination.js";

@InterfaceType("Node", { description: "An object with a global ID, fetchable with `node(id:)`." })
export abstract class Node {
  @Field(() => ID, { description: "Opaque global ID." })
  id: string;
}

@ObjectType("PageInfo", { description: "Where a page sits in its list." })
export class PageInfo {
  @Field(() => Boolean, { description: "Whether more items follow this page." })
  hasNextPage: boolean;

  @Field(() => Boolean, { description: "Whether items come before this page." })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true, description: "Cursor of the first item; pass as `before` for the page before." })
  startCursor: string | null;

  @Field(() => String, { nullable: true, description: "Cursor of the last item; pass as `after` for the next page." })
  endCursor: string | null;
}

export interface ConnectionShape<T> {
  edges: Array<{ cursor: string; node: T }>;
  nodes: T[];
  pageInfo: PageInfo;
  totalCount(): Promise<number>;
}

/** `XConnection` and `XEdge` types for node type `nodeType`. */
export function Connection<T extends object>(nodeType: ClassType<T>, typeName: string) {
  @ObjectType(`${typeName}Edge`, { description: `An edge to a ${typeName}.` })
  class Edge {
    @Field(() => String, { description: "Cursor of this item, for `after` or `before`." })
    cursor: string;

    @Field(() => nodeType, { description: `The ${typeName}.` })
    node: T;
  }

  @ObjectType(`${typeName}Connection`, { description: `A page of ${typeName} items.` })
  class ConnectionType implements ConnectionShape<T> {
    @Field(() => [Edge], { description: "The items with their cursors." })
    edges: Edge[];

    @Field(() => [nodeType], { description: "The items of this page." })
    nodes: T[];

    @Field(() => PageInfo, { description: "Paging information." })
    pageInfo: PageInfo;

    countFn: () => Promise<number>;

    @Field(() => Int, { description: "Number of items in the whole list (all pages)." })
    totalCount(): Promise<number> {
      return this.countFn();
    }
  }
  return ConnectionType;
}

/** Fills a connection object from a page of entities, mapped to GraphQL objects with `map`. */
export function toConnection<E, T, C extends ConnectionShape<T>>(ConnectionClass: abstract new () => C, page: Page<E>, map: (item: E) => T): C {
  const connection = Object.create(ConnectionClass.prototype) as C & { countFn: () => Promise<number> };
  const nodes = page.items.map(map);
  connection.nodes = nodes;
  connection.edges = nodes.map((node, index) => ({ cursor: page.cursors[index]!, node }));
  connection.pageInfo = Object.assign(new PageInfo(), {
    hasNextPage: page.hasNextPage,
    hasPreviousPage: page.hasPreviousPage,
    startCursor: page.cursors[0] ?? null,
    endCursor: page.cursors[page.cursors.length - 1] ?? null,
  });
  connection.countFn = page.totalCount;
  return connection;
}

/** Forward paging only: for a list whose own argument is named `before` (the deprecated Query.filingsDue). */
@ArgsType()
export class ForwardConnectionArgs {
  @Field(() => Int, { nullable: true, description: "How many items from the start, or from `after` (default 20, at most the server's page cap, 100)." })
  first?: number | null;

  @Field(() => String, { nullable: true, description: "Return items after this cursor (`endCursor` of the page before)." })
  after?: string | null;
}

/** Relay paging both ways: `first`/`after` forwards, `last`/`before` backwards (not `first` and `last` together). */
@ArgsType()
export class ConnectionArgs extends ForwardConnectionArgs {
  @Field(() => Int, { nullable: true, description: "How many items from the end, or from `before` backwards (at most the server's page cap, 100); not with `first`." })
  last?: number | null;

  @Field(() => String, { nullable: true, description: "Return items before this cursor (`startCursor` of the page after)." })
  before?: string | null;
}

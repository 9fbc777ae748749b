// administrationEvents: what happens to an administration's documents, live, for desk and tray
// views. Every event is checked against the policy for the subscriber before it is sent.
import { Arg, Ctx, Field, ID, ObjectType, registerEnumType, Resolver, Root, Subscription } from "type-graphql";
import { type Actor, requireActor } from "../../core/actor.js";
import { NotFoundError } from "../../core/errors.js";
import type { BusEvent } from "../../events/bus.js";
import type { GraphQLContext } from "../../graphql/context.js";
import { fromGlobalId, toGlobalId } from "../../graphql/global-id.js";
import { LoaderCache } from "../../graphql/loaders.js";
import { DateTime } from "../../graphql/scalars.js";
import type { Services } from "../../services.js";
import { findVisibleAdministration } from "../administrations/administration.policy.js";
import { Document } from "./document.entity.js";
import { scopeVisibleDocuments } from "./document.policy.js";
import { DocumentType } from "./document.types.js";

type DocumentChanged = Extract<BusEvent, { topic: "document.changed" }>;

export enum DocumentChangeKind {
  ADDED = "ADDED",
  FILED = "FILED",
  WITHDRAWN = "WITHDRAWN",
  RETURNED = "RETURNED",
  PROCESSED = "PROCESSED",
  UPDATED = "UPDATED",
  REMOVED = "REMOVED",
  REPLACED = "REPLACED",
}

registerEnumType(DocumentChangeKind, {
  name: "DocumentChange",
  description: "What happened to a document.",
  valuesConfig: {
    ADDED: { description: "Uploaded (or made by page editing)." },
    FILED: { description: "Filed into a tray." },
    WITHDRAWN: { description: "Taken back to the desk by the client." },
    RETURNED: { description: "Returned to the desk by the firm, with a reason." },
    PROCESSED: { description: "Processed by the firm." },
    UPDATED: { description: "Renamed, or its thumbnail is ready." },
    REMOVED: { description: "Removed." },
    REPLACED: { description: "Replaced by new documents through page editing." },
  },
});

@ObjectType("AdministrationEvent", { description: "A change to one of an administration's documents." })
export class AdministrationEventType {
  @Field(() => DocumentChangeKind, { description: "What happened." })
  change: DocumentChangeKind;

  @Field(() => ID, { description: "The document's global ID (also when it no longer exists)." })
  documentId: string;

  @Field(() => DocumentType, { nullable: true, description: "The document as it is now (null once removed)." })
  document: DocumentType | null;

  @Field(() => DateTime, { description: "When the event was delivered." })
  at: Date;
}

/** Whether `actor` may hear of this document (removed ones included, so REMOVED reaches those who saw it). */
async function mayHearOf(services: Services, actor: Actor, event: DocumentChanged): Promise<boolean> {
  const qb = services.dataSource.getRepository(Document).createQueryBuilder("d").where("d.id = :id", { id: event.documentId });
  scopeVisibleDocuments(qb, "d", actor, { includeRemoved: true });
  return (await qb.getCount()) > 0;
}

async function* visibleOnly(services: Services, actor: Actor, source: AsyncIterableIterator<DocumentChanged>): AsyncGenerator<DocumentChanged> {
  try {
    for await (const event of source) {
      if (await mayHearOf(services, actor, event)) yield event;
    }
  } finally {
    await source.return?.();
  }
}

@Resolver()
export class AdministrationEventsResolver {
  @Subscription(() => AdministrationEventType, {
    description: "Live changes to an administration's documents the viewer may see (desk and tray views).",
    subscribe: async ({ args, context }) => {
      const ctx = context as GraphQLContext;
      const actor = requireActor(ctx.viewer);
      const administrationId = fromGlobalId(args.administrationId as string, "Administration");
      await findVisibleAdministration(ctx.services.dataSource.manager, actor, administrationId);
      const source = ctx.services.bus.subscribe(
        (event): event is DocumentChanged => event.topic === "document.changed" && event.administrationId === administrationId,
      );
      return visibleOnly(ctx.services, actor, source);
    },
  })
  async administrationEvents(
    @Arg("administrationId", () => ID, { description: "The administration to follow." }) _administrationId: string,
    @Root() event: DocumentChanged,
    @Ctx() ctx: GraphQLContext,
  ): Promise<AdministrationEventType> {
    ctx.loaders = new LoaderCache(ctx.services, ctx.viewer);
    let document: DocumentType | null = null;
    try {
      document = DocumentType.from(await ctx.services.documents.get(ctx.viewer, event.documentId));
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
    return Object.assign(new AdministrationEventType(), {
      change: event.change as DocumentChangeKind,
      documentId: toGlobalId("Document", event.documentId),
      document,
      at: new Date(),
    });
  }
}

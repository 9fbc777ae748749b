// administrationEvents: what happens to an administration's documents, live, for desk and tray
// views. Every event is checked against the policy for the subscriber before it is sent.
import { Arg, Ctx, Field, ID, ObjectType, registerEnumType, Resolver, Root, Subscription } from "type-graphql";
import { type Actor, requireActor } from "../../core/actor.js";
import { NotFoundError } from "../../core/errors.js";
import { type BusEvent, DOCUMENT_CHANGES, type DocumentChange, FOLDER_CHANGES, type FolderChange } from "../../events/bus.js";
import type { GraphQLContext } from "../../graphql/context.js";
import { fromGlobalId, toGlobalId } from "../../graphql/global-id.js";
import { liveEvents, sharedByView } from "../../graphql/live-events.js";
import { DateTime } from "../../graphql/scalars.js";
import type { Services } from "../../services.js";
import { findVisibleAdministration } from "../administrations/administration.policy.js";
import { mayHearOfDocument } from "./document.policy.js";
import { DocumentType } from "./document.types.js";
import { ArchiveFolderType } from "../archive/archive.types.js";
import { mayHearOfFolder } from "../archive/archive.policy.js";

type DocumentChanged = Extract<BusEvent, { topic: "document.changed" }>;
type FolderChanged = Extract<BusEvent, { topic: "folder.changed" }>;
type ArchiveEvent = DocumentChanged | FolderChanged;

/** The GraphQL enum of both kinds of change (values as on the bus). */
type Change = DocumentChange | FolderChange;
const DocumentChangeKind = Object.fromEntries([...DOCUMENT_CHANGES, ...FOLDER_CHANGES].map((change) => [change, change])) as { [C in Change]: C };

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
    TEXT_READ: { description: "The text on its pages was read (text layer, or OCR of a scan or photo): it can be found by search; see `processing`." },
    DATA_READ: { description: "Its data (bank statements, an e-invoice) was read, or found unreadable: see `dataStatus`. A file with nothing to read announces UPDATED." },
    FOLDER_CREATED: { description: "An archive folder was created." },
    FOLDER_UPDATED: { description: "An archive folder was renamed or moved." },
    FOLDER_REMOVED: { description: "An archive folder was deleted." },
    ACCESS_CHANGED: { description: "Who may use an archive folder changed." },
  },
});

@ObjectType("AdministrationEvent", { description: "A change to one of an administration's documents or archive folders." })
export class AdministrationEventType {
  @Field(() => DocumentChangeKind, { description: "What happened." })
  change: Change;

  @Field(() => ID, { nullable: true, description: "The document's global ID (also when it no longer exists); null for folder events." })
  documentId: string | null;

  @Field(() => ID, { nullable: true, description: "The folder's global ID, for folder events." })
  folderId: string | null;

  @Field(() => ArchiveFolderType, { nullable: true, description: "The folder as it is now (null once deleted)." })
  folder: ArchiveFolderType | null;

  @Field(() => DocumentType, { nullable: true, description: "The document as it is now (null once removed)." })
  document: DocumentType | null;

  @Field(() => DateTime, { description: "When the event was delivered." })
  at: Date;
}

/** Whether `actor` may hear of this change, by the document and archive policies. */
function mayHearOf(services: Services, actor: Actor, event: ArchiveEvent): Promise<boolean> {
  const manager = services.dataSource.manager;
  if (event.topic === "document.changed") return mayHearOfDocument(manager, actor, event.documentId);
  return mayHearOfFolder(manager, actor, { folderId: event.folderId, parentId: event.parentId, removed: event.change === "FOLDER_REMOVED", visibleTo: event.visibleTo });
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
      return liveEvents(ctx, {
        kind: "administrationEvents",
        matches: (event): event is ArchiveEvent => (event.topic === "document.changed" || event.topic === "folder.changed") && event.administrationId === administrationId,
        allowed: (subscriber, event) => mayHearOf(ctx.services, subscriber, event),
      });
    },
  })
  async administrationEvents(
    @Arg("administrationId", () => ID, { description: "The administration to follow." }) _administrationId: string,
    @Root() event: ArchiveEvent,
    @Ctx() ctx: GraphQLContext,
  ): Promise<AdministrationEventType> {
    // Loaded once per event for all who see the same (sharedByView), not once per subscriber.
    const actor = requireActor(ctx.viewer);
    if (event.topic === "folder.changed") {
      let folder: ArchiveFolderType | null = null;
      try {
        const found = await sharedByView(event, actor, "folder", () => ctx.services.archive.get(actor, event.folderId));
        folder = ArchiveFolderType.from(found.folder, found.access);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
      return Object.assign(new AdministrationEventType(), {
        change: event.change,
        documentId: null,
        folderId: toGlobalId("ArchiveFolder", event.folderId),
        folder,
        document: null,
        at: new Date(),
      });
    }
    let document: DocumentType | null = null;
    try {
      document = DocumentType.from(await sharedByView(event, actor, "document", () => ctx.services.documents.get(actor, event.documentId)));
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
    return Object.assign(new AdministrationEventType(), {
      change: event.change,
      documentId: toGlobalId("Document", event.documentId),
      folderId: null,
      folder: null,
      document,
      at: new Date(),
    });
  }
}

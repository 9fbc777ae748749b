// node(id:): each type that implements Node says how to fetch one object for an actor, through
// its module's policy. Anything the actor may not see is NOT_FOUND, like anything that does not exist.
import type { Actor } from "../core/actor.js";
import { NotFoundError } from "../core/errors.js";
import type { Node } from "../graphql/relay.js";
import type { Services } from "../services.js";
import { AdministrationType, MembershipType } from "./administrations/administration.types.js";
import { AuditEventType } from "./audit/audit.types.js";
import { ApiTokenType } from "./auth/auth.types.js";
import { FirmType } from "./firms/firm.types.js";
import { DocumentType } from "./documents/document.types.js";
import { ArchiveFolderType } from "./archive/archive.types.js";
import { NotificationType } from "./notifications/notification.types.js";
import { UserType } from "./users/user.types.js";
import { filingType } from "./filings/filing.types.js";
import { ReportType } from "./reports/report.types.js";

type NodeFetcher = (services: Services, actor: Actor, id: string) => Promise<Node>;

// A Map, not an object literal: a type name such as "constructor" must not find Object's own members.
const fetchers = new Map<string, NodeFetcher>(
  Object.entries({
    Firm: async (s, actor, id) => FirmType.from(await s.firms.findVisible(actor, id)),
    User: async (s, actor, id) => UserType.from(await s.users.findVisible(actor, id)),
    Administration: async (s, actor, id) => AdministrationType.from(await s.administrations.get(actor, id)),
    Membership: async (s, actor, id) => MembershipType.from(await s.administrations.findVisibleMembership(actor, id)),
    ApiToken: async (s, actor, id) => ApiTokenType.from(await s.auth.findApiToken(actor, id)),
    AuditEvent: async (s, actor, id) => AuditEventType.from(await s.audit.findVisible(actor, id)),
    Notification: async (s, actor, id) => NotificationType.from(await s.notifications.findOwn(actor, id)),
    Document: async (s, actor, id) => DocumentType.from(await s.documents.get(actor, id)),
    VatReturn: async (s, actor, id) => filingOfKind(await s.filings.get(actor, id), "VAT_RETURN"),
    IcpDeclaration: async (s, actor, id) => filingOfKind(await s.filings.get(actor, id), "ICP_DECLARATION"),
    Report: async (s, actor, id) => ReportType.from(await s.reports.get(actor, id)),
    ArchiveFolder: async (s, actor, id) => {
      const { folder, access } = await s.archive.get(actor, id);
      return ArchiveFolderType.from(folder, access);
    },
  } satisfies Record<string, NodeFetcher>),
);

/** A VatReturn id must name a VAT return (and an IcpDeclaration id an ICP declaration). */
function filingOfKind(filing: Parameters<typeof filingType>[0], kind: string): Node {
  if (filing.kind !== kind) throw new NotFoundError("Filing");
  return filingType(filing);
}

export function nodeFetcher(type: string): NodeFetcher | undefined {
  return fetchers.get(type);
}

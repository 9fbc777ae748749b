// What a webhook can be sent: the events, the name each has on the wire ("document.filed"), and
// which bus event (events/bus.ts) makes which webhook event about which subject.
import type { BusEvent, DocumentChange } from "../../events/bus.js";

export enum WebhookEvent {
  DOCUMENT_ADDED = "DOCUMENT_ADDED",
  DOCUMENT_FILED = "DOCUMENT_FILED",
  DOCUMENT_WITHDRAWN = "DOCUMENT_WITHDRAWN",
  DOCUMENT_RETURNED = "DOCUMENT_RETURNED",
  DOCUMENT_PROCESSED = "DOCUMENT_PROCESSED",
  DOCUMENT_UPDATED = "DOCUMENT_UPDATED",
  DOCUMENT_REMOVED = "DOCUMENT_REMOVED",
  DOCUMENT_READ = "DOCUMENT_READ",
  FILING_STATUS_CHANGED = "FILING_STATUS_CHANGED",
  REPORT_PUBLISHED = "REPORT_PUBLISHED",
  REPORT_REPLACED = "REPORT_REPLACED",
  REPORT_WITHDRAWN = "REPORT_WITHDRAWN",
  FIGURES_UPDATED = "FIGURES_UPDATED",
  ARCHIVE_CHANGED = "ARCHIVE_CHANGED",
}

/** The `type` of a payload: "DOCUMENT_FILED" → "document.filed" (Standard Webhooks' dotted form). */
export function wireType(event: WebhookEvent): string {
  const [head, ...rest] = event.toLowerCase().split("_");
  return `${head}.${rest.join("_")}`;
}

/** The `type` of the message testWebhook sends. */
export const TEST_TYPE = "webhook.test";

const DOCUMENT_EVENT: Record<DocumentChange, WebhookEvent> = {
  ADDED: WebhookEvent.DOCUMENT_ADDED,
  FILED: WebhookEvent.DOCUMENT_FILED,
  WITHDRAWN: WebhookEvent.DOCUMENT_WITHDRAWN,
  RETURNED: WebhookEvent.DOCUMENT_RETURNED,
  PROCESSED: WebhookEvent.DOCUMENT_PROCESSED,
  UPDATED: WebhookEvent.DOCUMENT_UPDATED,
  REPLACED: WebhookEvent.DOCUMENT_UPDATED,
  REMOVED: WebhookEvent.DOCUMENT_REMOVED,
  TEXT_READ: WebhookEvent.DOCUMENT_READ,
  DATA_READ: WebhookEvent.DOCUMENT_READ,
};

export type SubjectKind = "Document" | "Filing" | "Report" | "Figures" | "ArchiveFolder";

/** A bus event as a webhook sees it: which event, of which administration, about what. */
export interface WebhookOccurrence {
  event: WebhookEvent;
  administrationId: string;
  /** Messages about one subject are delivered in order. */
  subject: { kind: SubjectKind; id: string };
  /** What the payload says besides the subject's snapshot. */
  details: Record<string, unknown>;
}

export function occurrenceOf(event: BusEvent): WebhookOccurrence | null {
  switch (event.topic) {
    case "document.changed":
      return {
        event: DOCUMENT_EVENT[event.change],
        administrationId: event.administrationId,
        subject: { kind: "Document", id: event.documentId },
        details: { change: event.change },
      };
    case "filing.changed":
      return {
        event: WebhookEvent.FILING_STATUS_CHANGED,
        administrationId: event.administrationId,
        subject: { kind: "Filing", id: event.filingId },
        details: { action: event.action },
      };
    case "report.changed":
      return {
        event: { PUBLISHED: WebhookEvent.REPORT_PUBLISHED, REPLACED: WebhookEvent.REPORT_REPLACED, WITHDRAWN: WebhookEvent.REPORT_WITHDRAWN }[event.change],
        administrationId: event.administrationId,
        subject: { kind: "Report", id: event.reportId },
        details: {},
      };
    case "figures.changed":
      // The figures of an administration are one subject: their updates arrive in order.
      return {
        event: WebhookEvent.FIGURES_UPDATED,
        administrationId: event.administrationId,
        subject: { kind: "Figures", id: event.administrationId },
        details: { months: event.months },
      };
    case "folder.changed":
      return {
        event: WebhookEvent.ARCHIVE_CHANGED,
        administrationId: event.administrationId,
        subject: { kind: "ArchiveFolder", id: event.folderId },
        details: { change: event.change },
      };
    default:
      return null;
  }
}

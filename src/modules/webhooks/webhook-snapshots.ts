// The subject of a webhook event as the firm sees it at that moment: read in the transaction of the
// change (so the payload shows exactly what committed), one statement per event, with the API's ids.
import type { EntityManager } from "typeorm";
import { toGlobalId } from "../../graphql/global-id.js";
import { FilingKind } from "../filings/filing.entity.js";
import { periodLabel } from "../filings/filing-period.js";
import { FILING_TYPE_NAME } from "../filings/filing.service.js";
import type { SubjectKind, WebhookOccurrence } from "./webhook-events.js";

type Row = Record<string, unknown>;

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : value === null || value === undefined ? null : String(value));
const gid = (type: string, id: unknown) => (id ? toGlobalId(type, String(id)) : null);

interface Snapshot {
  sql: string;
  shape: (row: Row) => Record<string, unknown>;
}

// Every statement takes the subject's id as $1 and also returns the administration's id and name.
const SNAPSHOTS: Record<SubjectKind, Snapshot> = {
  Document: {
    sql: `SELECT d.*, a.name AS administration_name, u.name AS uploader_name, t.name AS uploader_token_name
            FROM documents d JOIN administrations a ON a.id = d.administration_id
            LEFT JOIN users u ON u.id = d.uploaded_by_user_id LEFT JOIN api_tokens t ON t.id = d.uploaded_by_token_id
           WHERE d.id = $1`,
    shape: (d) => ({
      document: {
        id: gid("Document", d.id),
        filename: d.filename,
        format: d.format,
        contentType: d.content_type,
        byteSize: Number(d.byte_size),
        pageCount: d.page_count,
        location: d.location,
        tray: d.tray,
        folderId: gid("ArchiveFolder", d.folder_id),
        status: d.status,
        documentDate: d.document_date,
        uploadedAt: iso(d.uploaded_at),
        uploadedBy: d.uploaded_by_user_id
          ? { type: "User", id: gid("User", d.uploaded_by_user_id), name: d.uploader_name }
          : d.uploaded_by_token_id
            ? { type: "ApiToken", id: gid("ApiToken", d.uploaded_by_token_id), name: d.uploader_token_name }
            : null,
        submittedAt: iso(d.submitted_at),
        processedAt: iso(d.processed_at),
        returnReason: d.return_reason,
        returnedAt: iso(d.returned_at),
        removedAt: iso(d.removed_at),
        dataKind: d.data_kind,
        dataReadAt: iso(d.data_read_at),
        textReadAt: iso(d.text_extracted_at),
      },
    }),
  },
  Filing: {
    sql: `SELECT f.id, f.kind, f.period_year, f.period_month, f.period_quarter, f.correction_number, f.status, f.version,
                 f.approval_decision, f.approval_by_label, f.approval_at, f.submitted_at, f.submission_reference, f.failure_reason, f.updated_at,
                 f.administration_id, a.name AS administration_name
            FROM filings f JOIN administrations a ON a.id = f.administration_id WHERE f.id = $1`,
    shape: (f) => ({
      filing: {
        id: gid(FILING_TYPE_NAME[f.kind as FilingKind], f.id),
        kind: f.kind,
        period: periodLabel({ year: Number(f.period_year), month: (f.period_month as number | null) ?? null, quarter: (f.period_quarter as number | null) ?? null }),
        correctionNumber: f.correction_number,
        status: f.status,
        version: f.version,
        approval: f.approval_decision ? { decision: f.approval_decision, by: f.approval_by_label, at: iso(f.approval_at) } : null,
        submittedAt: iso(f.submitted_at),
        submissionReference: f.submission_reference,
        failureReason: f.failure_reason,
        updatedAt: iso(f.updated_at),
      },
    }),
  },
  Report: {
    sql: `SELECT r.id, r.kind, r.title, r.period_start, r.period_end, r.publish_at, r.announced_at, r.withdrawn_at, r.version,
                 r.administration_id, a.name AS administration_name
            FROM reports r JOIN administrations a ON a.id = r.administration_id WHERE r.id = $1`,
    shape: (r) => ({
      report: {
        id: gid("Report", r.id),
        kind: r.kind,
        title: r.title,
        periodStart: r.period_start,
        periodEnd: r.period_end,
        publishAt: iso(r.publish_at),
        publishedAt: iso(r.announced_at),
        withdrawnAt: iso(r.withdrawn_at),
        version: r.version,
      },
    }),
  },
  Figures: {
    sql: "SELECT a.id AS administration_id, a.name AS administration_name FROM administrations a WHERE a.id = $1",
    shape: () => ({}),
  },
  ArchiveFolder: {
    // A removed folder has no row: its id and the change are all there is to say.
    sql: `SELECT f.id, f.name, f.parent_id, f.real_estate, f.administration_id, a.name AS administration_name
            FROM archive_folders f JOIN administrations a ON a.id = f.administration_id WHERE f.id = $1`,
    shape: (f) => ({ folder: { id: gid("ArchiveFolder", f.id), name: f.name, parentId: gid("ArchiveFolder", f.parent_id), realEstate: f.real_estate } }),
  },
};

/** The payload's `data`: the administration, the subject's snapshot and what the event adds. */
export async function snapshotOf(manager: EntityManager, occurrence: WebhookOccurrence, administrationName: string): Promise<Record<string, unknown>> {
  const snapshot = SNAPSHOTS[occurrence.subject.kind];
  const [row] = (await manager.query(snapshot.sql, [occurrence.subject.id])) as Row[];
  const administration = { id: gid("Administration", occurrence.administrationId), name: row ? String(row.administration_name) : administrationName };
  const subject = row
    ? snapshot.shape(row)
    : {
        [occurrence.subject.kind === "ArchiveFolder" ? "folder" : occurrence.subject.kind.toLowerCase()]: {
          id: gid(occurrence.subject.kind, occurrence.subject.id),
          removed: true,
        },
      };
  return { administration, ...subject, ...occurrence.details };
}

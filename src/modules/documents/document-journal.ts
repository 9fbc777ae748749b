// Every change to a document is written to the audit trail and announced on the bus, in the
// transaction that makes it; services share these two steps through here.
import type { EntityManager } from "typeorm";
import type { Actor } from "../../core/actor.js";
import type { DocumentChange, EventBus } from "../../events/bus.js";
import type { AuditService } from "../audit/audit.service.js";
import type { Document } from "./document.entity.js";

export class DocumentJournal {
  constructor(
    private readonly audit: AuditService,
    private readonly bus: EventBus,
  ) {}

  /** Audits `action` on `document` and announces `change` to administrationEvents subscribers. */
  async record(
    manager: EntityManager,
    actor: Actor,
    document: Document,
    entry: { action: string; change: DocumentChange; details?: Record<string, unknown>; note?: string | null },
  ): Promise<void> {
    await this.audit.record(manager, actor, {
      firmId: document.firmId,
      administrationId: document.administrationId,
      action: entry.action,
      subjectType: "Document",
      subjectId: document.id,
      note: entry.note ?? null,
      details: { filename: document.filename, ...entry.details },
    });
    await this.bus.publish(manager, { topic: "document.changed", administrationId: document.administrationId, documentId: document.id, change: entry.change });
  }
}

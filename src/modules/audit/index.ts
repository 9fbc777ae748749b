// The audit module: what it contributes (src/modules/module.ts).
import { fetchOne, type PortalDeskModule } from "../module.js";
import { AuditEvent } from "./audit-event.entity.js";
import { AuditResolver } from "./audit.resolver.js";
import { AuditEventType } from "./audit.types.js";
import { AUDIT_SCOPES } from "./audit.policy.js";

export const auditModule: PortalDeskModule = {
  name: "audit",
  scopes: AUDIT_SCOPES,
  entities: [AuditEvent],
  resolvers: [AuditResolver],
  nodes: { AuditEvent: fetchOne(async (s, actor, id) => AuditEventType.from(await s.audit.findVisible(actor, id))) },
};

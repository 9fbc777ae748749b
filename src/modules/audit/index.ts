// The audit module: what it contributes (src/modules/module.ts).
import { fetchOne, type PortalDeskModule } from "../module.js";
import { AuditEvent } from "./audit-event.entity.js";
import { AuditResolver } from "./audit.resolver.js";
import { AuditEventType } from "./audit.types.js";

export const auditModule: PortalDeskModule = {
  name: "audit",
  entities: [AuditEvent],
  resolvers: [AuditResolver],
  nodes: { AuditEvent: fetchOne(async (s, actor, id) => AuditEventType.from(await s.audit.findVisible(actor, id))) },
};

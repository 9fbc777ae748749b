// The mail-in module: what it contributes (src/modules/module.ts). The SMTP listener itself is
// started by the server (src/server/app.ts) when MAIL_IN is on.
import { ApiScope, needs } from "../../core/api-scopes.js";
import type { PortalDeskModule } from "../module.js";
import { MailInResolver } from "./mail-in.resolver.js";

export const mailInModule: PortalDeskModule = {
  name: "mail-in",
  resolvers: [MailInResolver],
  scopes: {
    // The address lets whoever knows it (and sends as a member) hand in documents.
    "Administration.inboundEmailAddress": needs(ApiScope.DOCUMENTS_WRITE),
    "Mutation.rotateInboundEmailAddress": needs(ApiScope.DOCUMENTS_WRITE),
  },
};

// The mail-in module: what it contributes (src/modules/module.ts). The SMTP listener itself is
// started by the server (src/server/app.ts) when MAIL_IN is on.
import { ApiScope, needs } from "../../core/api-scopes.js";
import { fetchOne, type PortalDeskModule } from "../module.js";
import { MailInResolver } from "./mail-in.resolver.js";
import { QuarantinedMailType } from "./mail-in.types.js";
import { QuarantinedMail } from "./quarantined-mail.entity.js";

export const mailInModule: PortalDeskModule = {
  name: "mail-in",
  entities: [QuarantinedMail],
  resolvers: [MailInResolver],
  nodes: { QuarantinedMail: fetchOne(async (s, actor, id) => QuarantinedMailType.from(await s.mailQuarantine.find(actor, id))) },
  // A waiting mail's bytes are a blob until staff decide.
  blobColumns: ["quarantined_mails.blob_sha256"],
  scopes: {
    // The address lets whoever knows it (and sends as a member) hand in documents.
    "Administration.inboundEmailAddress": needs(ApiScope.DOCUMENTS_WRITE),
    "Mutation.rotateInboundEmailAddress": needs(ApiScope.DOCUMENTS_WRITE),
    "Administration.quarantinedMails": needs(ApiScope.DOCUMENTS_READ),
    "node:QuarantinedMail": needs(ApiScope.DOCUMENTS_READ),
    "Mutation.releaseQuarantinedMail": needs(ApiScope.DOCUMENTS_WRITE),
    "Mutation.discardQuarantinedMail": needs(ApiScope.DOCUMENTS_WRITE),
  },
  queues: [{ name: "mail-in.prune" }],
  async jobs({ jobs, mailQuarantine, config }) {
    await jobs.work<object>("mail-in.prune", async () => {
      await mailQuarantine.prune(new Date(Date.now() - config.mailQuarantine.retentionSeconds * 1000));
    });
    await jobs.schedule("mail-in.prune", "47 3 * * *");
  },
};

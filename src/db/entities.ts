// Every entity the DataSource knows.
import { Administration } from "../modules/administrations/administration.entity.js";
import { Membership } from "../modules/administrations/membership.entity.js";
import { ArchiveFolder } from "../modules/archive/archive-folder.entity.js";
import { ArchiveFolderGrant } from "../modules/archive/archive-grant.entity.js";
import { AuditEvent } from "../modules/audit/audit-event.entity.js";
import { ApiToken } from "../modules/auth/api-token.entity.js";
import { Invitation } from "../modules/auth/invitation.entity.js";
import { Session } from "../modules/auth/session.entity.js";
import { Document } from "../modules/documents/document.entity.js";
import { Firm } from "../modules/firms/firm.entity.js";
import { Filing } from "../modules/filings/filing.entity.js";
import { Report, ReportVersion } from "../modules/reports/report.entity.js";
import { Notification } from "../modules/notifications/notification.entity.js";
import { OutgoingMail } from "../modules/notifications/outgoing-mail.entity.js";
import { User } from "../modules/users/user.entity.js";

export const entities = [
  Firm,
  User,
  Administration,
  Membership,
  Session,
  ApiToken,
  Invitation,
  AuditEvent,
  Notification,
  ArchiveFolder,
  ArchiveFolderGrant,
  Document,
  OutgoingMail,
  Filing,
  Report,
  ReportVersion,
];

// The application's services, wired once per server instance. Resolvers, jobs and scripts all
// call these; none of them knows GraphQL.
import type { DataSource } from "typeorm";
import type { Config } from "./config/config.js";
import type { EventBus } from "./events/bus.js";
import { processTempDir } from "./storage/temp-files.js";
import { blobColumns, nodeFetchers, scopeRules } from "./modules/index.js";
import type { ScopeRule } from "./core/api-scopes.js";
import type { NodeFetcher } from "./modules/module.js";
import { AdministrationService } from "./modules/administrations/administration.service.js";
import { AuditService } from "./modules/audit/audit.service.js";
import { AuthService } from "./modules/auth/auth.service.js";
import { SignInThrottle } from "./modules/auth/sign-in-throttle.js";
import { SignInSteps } from "./modules/auth/sign-in-steps.js";
import { TwoFactorService } from "./modules/auth/two-factor.js";
import { PasskeyService } from "./modules/auth/passkeys.js";
import { EmailChangeService } from "./modules/auth/email-change.js";
import { HourlyLimit } from "./modules/auth/hourly-limit.js";
import { PasswordService } from "./modules/auth/passwords.js";
import { SessionService } from "./modules/auth/sessions.js";
import { PasswordResetThrottle } from "./modules/auth/password-reset-throttle.js";
import { FirmService } from "./modules/firms/firm.service.js";
import { NotificationService } from "./modules/notifications/notification.service.js";
import { UserService } from "./modules/users/user.service.js";
import { DocumentService } from "./modules/documents/document.service.js";
import { DownloadLinks } from "./modules/files/download-links.js";
import { DocumentJournal } from "./modules/documents/document-journal.js";
import { PageEditor } from "./modules/documents/page-editor.js";
import { DocumentMaintenance } from "./modules/documents/document-maintenance.js";
import type { JobQueue } from "./jobs/job-queue.js";
import { ArchiveService } from "./modules/archive/archive.service.js";
import { DocumentSearch } from "./modules/documents/document-search.js";
import type { BlobStorage } from "./storage/blob-storage.js";
import type { Mailer } from "./mail/mailer.js";
import { PortalLinks } from "./mail/portal-links.js";
import { MailOutbox } from "./modules/notifications/mail-outbox.js";
import { FilingService } from "./modules/filings/filing.service.js";
import { FiguresService } from "./modules/figures/figures.service.js";
import { ReportService } from "./modules/reports/report.service.js";
import { BankStatementService } from "./modules/bank-statements/bank-statement.service.js";
import { InvoiceService } from "./modules/invoices/invoice.service.js";
import { InvoiceCorrections } from "./modules/invoices/invoice-corrections.js";
import { DocumentReader } from "./modules/reading/document-reader.js";
import { PageReading } from "./modules/reading/page-reading.js";
import { DeskReminders } from "./modules/reminders/desk-reminders.js";
import { RequestLimits } from "./server/request-limits.js";
import { FilingDeadlines } from "./modules/deadlines/filing-deadlines.js";
import { DeadlineReminders } from "./modules/deadlines/deadline-reminders.js";
import { FilingSubmissions } from "./modules/filings/filing-submission.js";
import type { FilingGateway } from "./modules/filings/submission/gateway.js";
import type { DigipoortSimulator } from "./modules/filings/submission/digipoort-simulator.js";
import { WebhookDeliverer } from "./modules/webhooks/webhook-deliverer.js";
import { recordWebhookMessages } from "./modules/webhooks/webhook-recorder.js";
import { WebhookService } from "./modules/webhooks/webhook.service.js";
import { MailQuarantine } from "./modules/mail-in/mail-quarantine.js";

export interface Services {
  config: Config;
  dataSource: DataSource;
  bus: EventBus;
  audit: AuditService;
  notifications: NotificationService;
  auth: AuthService;
  passwords: PasswordService;
  sessions: SessionService;
  twoFactor: TwoFactorService;
  emailChanges: EmailChangeService;
  passkeys: PasskeyService;
  signInSteps: SignInSteps;
  firms: FirmService;
  users: UserService;
  administrations: AdministrationService;
  storage: BlobStorage;
  links: DownloadLinks;
  documents: DocumentService;
  pages: PageEditor;
  maintenance: DocumentMaintenance;
  archive: ArchiveService;
  search: DocumentSearch;
  jobs: JobQueue;
  mailer: Mailer;
  outbox: MailOutbox;
  portalLinks: PortalLinks;
  filings: FilingService;
  figures: FiguresService;
  reports: ReportService;
  reminders: DeskReminders;
  bankStatements: BankStatementService;
  invoices: InvoiceService;
  invoiceCorrections: InvoiceCorrections;
  reader: DocumentReader;
  pageReading: PageReading;
  submissions: FilingSubmissions;
  /** Budgets per window of what each person, token and address may ask. */
  requestLimits: RequestLimits;
  deadlines: FilingDeadlines;
  deadlineReminders: DeadlineReminders;
  webhooks: WebhookService;
  /** Mail to an administration's address that waits for staff (mail-in module). */
  mailQuarantine: MailQuarantine;
  /** Sends queued webhook messages (started in processes that work jobs). */
  webhookDeliverer: WebhookDeliverer;
  /** The built-in Digipoort simulator, when this process runs one (DIGIPOORT=simulator). */
  simulator: DigipoortSimulator | null;
  /** Base URL for links to this server (PUBLIC_URL, or where it listens). */
  publicUrl: string;
  /** This process's folder for temporary files (storage/temp-files.ts). */
  tempDir: string;
  /** node(id:)'s fetchers by GraphQL type name, from the modules. */
  nodes: ReadonlyMap<string, NodeFetcher>;
  /** What API tokens need for each field, from the modules. */
  scopeRules: ReadonlyMap<string, ScopeRule>;
  /** Warnings of work without a request of its own (live events, maintenance). */
  log: ServiceOptions["log"];
}

export interface ServiceOptions {
  storage: BlobStorage;
  jobs: JobQueue;
  mailer: Mailer;
  gateway: FilingGateway;
  simulator: DigipoortSimulator | null;
  /** This build's version, written into XBRL messages. */
  version: string;
  log: (level: "info" | "warn", message: string, extra?: object) => void;
  /** Shared by all instances (server_secrets). */
  urlSigningSecret: string;
}

export function createServices(config: Config, dataSource: DataSource, bus: EventBus, options: ServiceOptions): Services {
  const maxPageSize = config.graphql.maxPageSize;
  const tempDir = processTempDir(config.dataDir);
  const audit = new AuditService(dataSource, maxPageSize);
  // Links follow the address the server ends up listening on (services.publicUrl is set after listen).
  const portalLinks = new PortalLinks(() => services.publicUrl);
  const outbox = new MailOutbox(dataSource, audit, options.jobs, options.mailer, portalLinks);
  const notifications = new NotificationService(dataSource, bus, outbox, maxPageSize);
  const journal = new DocumentJournal(audit, bus);
  const throttle = new SignInThrottle(dataSource, config.auth.signInMaxFailures, config.auth.signInWindowSeconds);
  const passwords = new PasswordService(
    dataSource,
    audit,
    outbox,
    options.jobs,
    bus,
    new PasswordResetThrottle(dataSource, config.auth.passwordResetsPerAddress, config.auth.passwordResetsPerEmail),
    throttle,
    config.auth.passwordResetTtlSeconds,
  );
  const twoFactor = new TwoFactorService(dataSource, audit, passwords, throttle, bus);
  // Passkeys follow the address the server ends up listening on, as links do.
  const passkeys = new PasskeyService(dataSource, audit, twoFactor, () => services.publicUrl, new HourlyLimit(dataSource, "passkey-addr", config.auth.signInMaxFailures * 20));
  const signInSteps = new SignInSteps(dataSource, audit, twoFactor, passkeys, config.auth.sessionTtlSeconds);
  const auth = new AuthService(dataSource, bus, audit, notifications, outbox, throttle, signInSteps, {
    invitationTtlSeconds: config.auth.invitationTtlSeconds,
    maxPageSize,
  });
  // Written into XBRL messages: as approved and as submitted.
  const software = { name: "PortalDesk", version: options.version };
  const filings = new FilingService(dataSource, audit, notifications, bus, twoFactor, passkeys, software, maxPageSize);
  const bankStatements = new BankStatementService(dataSource, options.jobs, notifications, { maxPageSize, noticeDelaySeconds: config.bankProblemNoticeDelaySeconds });
  const invoices = new InvoiceService(dataSource, maxPageSize);
  const documents = new DocumentService(dataSource, options.storage, journal, options.jobs, audit, notifications, {
    maxFileSize: config.uploads.maxFileSize,
    maxTotalSize: config.uploads.maxTotalSize,
    tempDir,
    maxPageSize,
    maxImagePixels: config.imageMaxPixels,
  });
  // Every published event may queue webhook messages, in its own transaction.
  bus.onPublish(recordWebhookMessages(bus));
  const webhookDeliverer = new WebhookDeliverer(dataSource, bus, audit, notifications, config.webhooks, options.log);
  const deadlines = new FilingDeadlines(dataSource, maxPageSize, { timeZone: config.timeZone });
  const services: Services = {
    config,
    dataSource,
    bus,
    audit,
    notifications,
    auth,
    sessions: new SessionService(dataSource, bus, audit),
    passwords,
    emailChanges: new EmailChangeService(dataSource, audit, outbox, passwords),
    twoFactor,
    passkeys,
    signInSteps,
    firms: new FirmService(dataSource, auth, audit, twoFactor, bus, options.storage, tempDir, {
      open: config.auth.signUpOpen,
      limit: new HourlyLimit(dataSource, "signup-addr", config.auth.signUpsPerAddress),
    }),
    users: new UserService(dataSource, audit, maxPageSize),
    administrations: new AdministrationService(dataSource, audit, maxPageSize),
    storage: options.storage,
    links: new DownloadLinks(options.urlSigningSecret, config.downloadUrlTtlSeconds, () => services.publicUrl),
    documents,
    pages: new PageEditor(dataSource, options.storage, journal, options.jobs, tempDir, config.imageMaxPixels),
    maintenance: new DocumentMaintenance(dataSource, options.storage, bus, tempDir, config.imageMaxPixels, options.log, blobColumns),
    jobs: options.jobs,
    mailer: options.mailer,
    outbox,
    portalLinks,
    filings,
    figures: new FiguresService(dataSource, audit, notifications, bus),
    bankStatements,
    invoices,
    invoiceCorrections: new InvoiceCorrections(dataSource, audit, bus),
    pageReading: new PageReading(dataSource, options.storage, options.jobs, bus, {
      concurrency: config.ocr.concurrency,
      languages: config.ocr.languages,
      tempDir,
      maxImagePixels: config.imageMaxPixels,
    }),
    reader: new DocumentReader(dataSource, options.storage, bankStatements, invoices, documents, options.jobs, audit, bus, config.readMaxBytes),
    reminders: new DeskReminders(dataSource, audit, notifications, { deskAgeSeconds: config.reminders.deskAgeSeconds, timeZone: config.timeZone }),
    reports: new ReportService(dataSource, options.storage, audit, notifications, bus, options.jobs, maxPageSize, {
      tempDir,
      maxFileSize: config.uploads.maxFileSize,
    }),
    submissions: new FilingSubmissions(dataSource, filings, options.jobs, options.gateway, {
      pollIntervalSeconds: config.filings.pollIntervalSeconds,
      software,
    }),
    deadlines,
    requestLimits: new RequestLimits(dataSource, config.requestLimits),
    deadlineReminders: new DeadlineReminders(dataSource, deadlines, audit, notifications, { daysBefore: config.filings.reminderDays }),
    webhooks: new WebhookService(dataSource, audit, bus, webhookDeliverer, config.webhooks, maxPageSize),
    webhookDeliverer,
    mailQuarantine: new MailQuarantine(dataSource, options.storage, audit, documents, config.mailQuarantine.maxAttachments, maxPageSize),
    simulator: options.simulator,
    archive: new ArchiveService(dataSource, audit, bus),
    search: new DocumentSearch(dataSource, maxPageSize),
    publicUrl: config.publicUrl,
    tempDir,
    nodes: nodeFetchers,
    scopeRules,
    log: options.log,
  };
  return services;
}

// Every module of the application, once. Adding a module is one line here (and its own index.ts).
import { OPEN, type ScopeRule } from "../core/api-scopes.js";
import type { ClassType } from "../core/class-type.js";
import type { QueueDefinition } from "../jobs/job-queue.js";
import type { Services } from "../services.js";
import { LINK_KINDS, type LinkKind, type LinkResolver } from "./files/download-links.js";
import { filesModule } from "./files/index.js";
import type { NodeFetcher, PortalDeskModule } from "./module.js";
import { NodeResolver } from "./node.resolver.js";
import { firmsModule } from "./firms/index.js";
import { usersModule } from "./users/index.js";
import { administrationsModule } from "./administrations/index.js";
import { authModule } from "./auth/index.js";
import { auditModule } from "./audit/index.js";
import { notificationsModule } from "./notifications/index.js";
import { documentsModule } from "./documents/index.js";
import { archiveModule } from "./archive/index.js";
import { filingsModule } from "./filings/index.js";
import { figuresModule } from "./figures/index.js";
import { reportsModule } from "./reports/index.js";
import { remindersModule } from "./reminders/index.js";
import { bankStatementsModule } from "./bank-statements/index.js";
import { invoicesModule } from "./invoices/index.js";
import { readingModule } from "./reading/index.js";
import { deadlinesModule } from "./deadlines/index.js";
import { webhooksModule } from "./webhooks/index.js";
import { mailInModule } from "./mail-in/index.js";

export const modules: readonly PortalDeskModule[] = [
  firmsModule,
  usersModule,
  administrationsModule,
  authModule,
  auditModule,
  notificationsModule,
  filesModule,
  documentsModule,
  archiveModule,
  filingsModule,
  figuresModule,
  reportsModule,
  remindersModule,
  bankStatementsModule,
  invoicesModule,
  readingModule,
  deadlinesModule,
  webhooksModule,
  mailInModule,
];

/** Every entity, for the data source. */
export const entities: ClassType[] = modules.flatMap((m) => m.entities ?? []);

/** Every resolver, for the schema (node(id:) serves them all). */
export const resolvers: ClassType[] = [NodeResolver, ...modules.flatMap((m) => m.resolvers ?? [])];

/** Every column holding blob keys, for the sweep of unreferenced blobs. */
export const blobColumns: string[] = modules.flatMap((m) => m.blobColumns ?? []);

/** Every field's rule for API tokens, by coordinate; a coordinate declared twice is a mistake, found at start. */
export const scopeRules: ReadonlyMap<string, ScopeRule> = (() => {
  // node(id:) and nodes(ids:) check the rule of each type they fetch ("node:<Type>").
  const map = new Map<string, ScopeRule>([
    ["Query.node", OPEN],
    ["Query.nodes", OPEN],
  ]);
  for (const [coordinate, rule] of modules.flatMap((m) => Object.entries(m.scopes ?? {}))) {
    if (map.has(coordinate)) throw new Error(`two modules declare the API token rule of ${coordinate}`);
    map.set(coordinate, rule);
  }
  return map;
})();

/** Every queue, for the job queue. */
export const queues: QueueDefinition[] = modules.flatMap((m) => m.queues ?? []);

/** node(id:)'s fetchers by type name (a Map: a type named "constructor" must not find Object's members). */
export const nodeFetchers: ReadonlyMap<string, NodeFetcher> = new Map(modules.flatMap((m) => Object.entries(m.nodes ?? {})));

/** What each kind of download link serves; every kind has exactly one module resolving it (checked at start). */
export const linkResolvers: ReadonlyMap<LinkKind, LinkResolver> = (() => {
  const map = new Map<LinkKind, LinkResolver>();
  for (const [kind, resolve] of modules.flatMap((m) => Object.entries(m.links ?? {}) as Array<[LinkKind, LinkResolver]>)) {
    if (map.has(kind)) throw new Error(`two modules resolve download links of kind "${kind}"`);
    map.set(kind, resolve);
  }
  const missing = LINK_KINDS.filter((kind) => !map.has(kind));
  if (missing.length) throw new Error(`no module resolves download links of kind ${missing.join(", ")}`);
  return map;
})();

/** Registers every module's job handlers and schedules in this process. */
export async function registerJobs(services: Services): Promise<void> {
  for (const module of modules) await module.jobs?.(services);
}

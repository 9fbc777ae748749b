// What an API token may do: scopes, and the rule each GraphQL field declares next to its module's
// policy (the module's manifest lists them; graphql/scope-check.ts enforces them for every request).
// A token made without scopes has them all (tokens from before scopes existed kept their access).

export enum ApiScope {
  DOCUMENTS_READ = "documents:read",
  DOCUMENTS_WRITE = "documents:write",
  FILINGS_READ = "filings:read",
  FILINGS_WRITE = "filings:write",
  FIGURES_READ = "figures:read",
  FIGURES_WRITE = "figures:write",
  REPORTS_READ = "reports:read",
  REPORTS_WRITE = "reports:write",
  ARCHIVE_READ = "archive:read",
  ARCHIVE_WRITE = "archive:write",
  ADMINISTRATIONS_WRITE = "administrations:write",
  USERS_READ = "users:read",
  USERS_WRITE = "users:write",
  AUDIT_READ = "audit:read",
  WEBHOOKS_MANAGE = "webhooks:manage",
}

/**
 * What a field asks of an API token: a scope (null: none), and whether it reaches past single
 * administrations (`firmWide`: a token limited to some administrations may not use it).
 */
export interface ScopeRule {
  scope: ApiScope | null;
  firmWide: boolean;
}

/** Rules by field coordinate ("Mutation.submitFiling", "Administration.documents"), or "node:<Type>" for node(id:). */
export type ScopeRules = Record<string, ScopeRule>;

/** A field that needs `scope`. */
export const needs = (scope: ApiScope, options: { firmWide?: boolean } = {}): ScopeRule => ({ scope, firmWide: options.firmWide ?? false });

/** A field any token may use (it reads nothing a scope guards, or people only may use it anyway). */
export const OPEN: ScopeRule = { scope: null, firmWide: false };

/** Firm-wide, with no scope of its own (firm settings: firm admins only, which tokens are not). */
export const FIRM_WIDE: ScopeRule = { scope: null, firmWide: true };

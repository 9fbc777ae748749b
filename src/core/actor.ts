// Who performs a request: a signed-in user, an integration's API token, or the system (jobs).
import type { ApiScope } from "./api-scopes.js";
import { UserRole } from "./roles.js";
import { ForbiddenError, UnauthenticatedError } from "./errors.js";

export interface UserActor {
  type: "USER";
  userId: string;
  firmId: string;
  role: UserRole;
  label: string;
  sessionId: string | null;
  /** Their language setting (mail, notifications, and the server's sentences when a request names none). */
  language: "NL" | "EN";
}

export interface ApiTokenActor {
  type: "API_TOKEN";
  tokenId: string;
  firmId: string;
  label: string;
  /** What it may do (null: everything a token may). */
  scopes: readonly ApiScope[] | null;
  /** The administrations it is limited to (null: all of its firm's). */
  administrationIds: readonly string[] | null;
}

export interface SystemActor {
  type: "SYSTEM";
  label: string;
}

export type Actor = UserActor | ApiTokenActor | SystemActor;
export type Anonymous = { type: "ANONYMOUS" };
export type Viewer = Actor | Anonymous;

export const SYSTEM: SystemActor = { type: "SYSTEM", label: "system" };

export function requireActor(viewer: Viewer): Actor {
  if (viewer.type === "ANONYMOUS") throw new UnauthenticatedError();
  return viewer;
}

export function requireUser(viewer: Viewer): UserActor {
  const actor = requireActor(viewer);
  if (actor.type !== "USER") throw new ForbiddenError("This needs a signed-in user, not an API token");
  return actor;
}

/** Firm staff and API tokens (which act as staff of their firm). */
export function isStaff(actor: Actor): boolean {
  if (actor.type === "API_TOKEN") return true;
  return actor.type === "USER" && (actor.role === UserRole.FIRM_ADMIN || actor.role === UserRole.ACCOUNTANT);
}

/** A signed-in client user (its role narrowed, so that "not a client" still leaves staff users). */
export type ClientActor = UserActor & { role: UserRole.CLIENT };

/** A client user of one or more administrations (not the firm's staff, an API token or the system). */
export function isClient(viewer: Viewer): viewer is ClientActor {
  return viewer.type === "USER" && viewer.role === UserRole.CLIENT;
}

/** The person acting, if a person acts: null for API tokens, the system and anonymous callers. */
export function userIdOf(viewer: Viewer): string | null {
  return viewer.type === "USER" ? viewer.userId : null;
}

/** The person's language setting; tokens and the system have none. */
export function languageSettingOf(viewer: Viewer): UserActor["language"] | null {
  return viewer.type === "USER" ? viewer.language : null;
}

/** The integration's API token acting, if one acts. */
export function tokenIdOf(viewer: Viewer): string | null {
  return viewer.type === "API_TOKEN" ? viewer.tokenId : null;
}

/** The session behind a person's request (null for API tokens and the system). */
export function sessionIdOf(viewer: Viewer): string | null {
  return viewer.type === "USER" ? viewer.sessionId : null;
}

/** The firm's work (preparing, publishing, processing): staff and API tokens; client users get FORBIDDEN. */
export function assertFirmWork(actor: Actor): void {
  if (actor.type === "USER" && !isStaff(actor)) throw new ForbiddenError("Only the firm's staff can do this");
}

export function isFirmAdmin(actor: Actor): actor is UserActor {
  return actor.type === "USER" && actor.role === UserRole.FIRM_ADMIN;
}

/** One key per user or API token (not per session), e.g. to share work or count use per actor. */
export function actorKey(actor: Actor): string {
  if (actor.type === "USER") return `u:${actor.userId}`;
  if (actor.type === "API_TOKEN") return `t:${actor.tokenId}`;
  return "system";
}

/**
 * Actors the policies cannot tell apart when deciding which rows they see: the staff users of one
 * firm (staff are narrowed by firm only), otherwise each actor alone. Live events share a verdict
 * and a loaded subject per key, so a firm's staff cost one check per event however many listen.
 */
export function visibilityKey(actor: Actor): string {
  return actor.type === "USER" && isStaff(actor) ? `staff:${actor.firmId}` : actorKey(actor);
}

export function actorFirmId(actor: Actor): string | null {
  return actor.type === "SYSTEM" ? null : actor.firmId;
}

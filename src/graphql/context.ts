import { languageSettingOf, type Viewer } from "../core/actor.js";
import { answerLanguage, type Language } from "../core/language.js";
import type { Services } from "../services.js";
import { LoaderCache } from "./loaders.js";

/** What every resolver receives: who asks, the services, and this request's loaders. */
export interface GraphQLContext {
  viewer: Viewer;
  services: Services;
  /** Replaced per event in long-lived subscriptions. */
  loaders: LoaderCache;
  requestId: string;
  /** Client address, for throttling, audit and sessions. */
  address: string;
  /** The client's User-Agent header, for the sessions list. */
  userAgent: string | null;
  /** The request's Accept-Language header (kept to decide the language again after a sign-in). */
  acceptLanguage: string | null;
  /** The language the server's sentences (userErrors, read problems) are given in. */
  language: Language;
}

function languageFor(viewer: Viewer, acceptLanguage: string | null): Language {
  return answerLanguage(acceptLanguage, languageSettingOf(viewer));
}

/**
 * Switches the request to a new viewer (after signIn / acceptInvitation), with fresh loaders:
 * loaders answer for the viewer they were made for.
 */
export function switchViewer(context: GraphQLContext, viewer: Viewer): void {
  context.viewer = viewer;
  context.loaders = new LoaderCache(context.services, viewer);
  context.language = languageFor(viewer, context.acceptLanguage);
}

export function createContext(
  services: Services,
  viewer: Viewer,
  requestId: string,
  address: string,
  userAgent: string | null = null,
  acceptLanguage: string | null = null,
): GraphQLContext {
  return { viewer, services, loaders: new LoaderCache(services, viewer), requestId, address, userAgent, acceptLanguage, language: languageFor(viewer, acceptLanguage) };
}

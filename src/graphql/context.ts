import type { Viewer } from "../core/actor.js";
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
}

/**
 * Switches the request to a new viewer (after signIn / acceptInvitation), with fresh loaders:
 * loaders answer for the viewer they were made for.
 */
export function switchViewer(context: GraphQLContext, viewer: Viewer): void {
  context.viewer = viewer;
  context.loaders = new LoaderCache(context.services, viewer);
}

export function createContext(services: Services, viewer: Viewer, requestId: string, address: string, userAgent: string | null = null): GraphQLContext {
  return { viewer, services, loaders: new LoaderCache(services, viewer), requestId, address, userAgent };
}

// The one way a subscription follows the bus: the events it asks for, each checked against the
// subscriber's policy (once per event for all of an actor's subscriptions of one kind, filterEvents),
// and a fresh loader cache per event — a long-lived subscription must not serve one event's data
// from an earlier event's cache. graphql-js executes an event before it pulls the next, so the cache
// set here is the one that event's resolvers use.
import { type Actor, actorKey, requireActor } from "../core/actor.js";
import type { BusEvent } from "../events/bus.js";
import { filterEvents } from "../events/filter-events.js";
import type { GraphQLContext } from "./context.js";
import { LoaderCache } from "./loaders.js";

export interface LiveEventsOptions<E extends BusEvent> {
  /** Names the kind of check, so verdicts are shared only between subscriptions that ask the same. */
  kind: string;
  /** The events this subscription follows. */
  matches: (event: BusEvent) => event is E;
  /** Whether the subscriber may hear of the event (by the module's policy); omitted: every matching event. */
  allowed?: (actor: Actor, event: E) => Promise<boolean>;
}

/** Starts following the bus at once (events from this moment on), before the first event is asked for. */
export function liveEvents<E extends BusEvent>(ctx: GraphQLContext, options: LiveEventsOptions<E>): AsyncGenerator<E> {
  const actor = requireActor(ctx.viewer);
  const source = ctx.services.bus.subscribe(options.matches);
  const { allowed } = options;
  const events = allowed ? filterEvents(source, `${options.kind}:${actorKey(actor)}`, (event) => allowed(actor, event)) : source;
  return withFreshLoaders(ctx, events);
}

async function* withFreshLoaders<E>(ctx: GraphQLContext, events: AsyncIterableIterator<E>): AsyncGenerator<E> {
  try {
    for await (const event of events) {
      ctx.loaders = new LoaderCache(ctx.services, ctx.viewer);
      yield event;
    }
  } finally {
    await events.return?.();
  }
}

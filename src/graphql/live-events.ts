// The one way a subscription follows the bus: the events it asks for, each checked against the
// subscriber's policy, and a loader cache per event — a long-lived subscription must not serve one
// event's data from an earlier event's cache. graphql-js executes an event before it pulls the
// next, so the cache set here is the one that event's resolvers use.
//
// What subscribers compute is shared per event (perEvent): the verdict by everyone the policy
// cannot tell apart (visibilityKey: a firm's staff), the loader cache by each person's
// subscriptions. The stream is an iterator rather than an async generator: a generator suspended in
// `await` queues a `return()` until its next event, so a closed subscription would stay on the bus
// until something happened in its administration; here `return()` ends it at once.
import { type Actor, actorKey, requireActor, visibilityKey } from "../core/actor.js";
import type { BusEvent } from "../events/bus.js";
import { perEvent } from "../events/per-event.js";
import type { GraphQLContext } from "./context.js";
import { LoaderCache } from "./loaders.js";

export interface LiveEventsOptions<E extends BusEvent> {
  /** Names the kind of check, so verdicts are shared only between subscriptions that ask the same. */
  kind: string;
  /** The events this subscription follows. */
  matches: (event: BusEvent) => event is E;
  /**
   * Whether the subscriber may hear of the event (by the module's policy), decided once per event
   * for all subscribers with the same visibilityKey; omitted: every matching event.
   */
  allowed?: (actor: Actor, event: E) => Promise<boolean>;
}

/** Starts following the bus at once (events from this moment on), before the first event is asked for. */
export function liveEvents<E extends BusEvent>(ctx: GraphQLContext, options: LiveEventsOptions<E>): AsyncIterableIterator<E> {
  const actor = requireActor(ctx.viewer);
  const { allowed } = options;
  const verdictKey = `${options.kind}:${visibilityKey(actor)}`;
  const loadersKey = `loaders:${actorKey(actor)}`;
  return new LiveEventStream(ctx.services.bus.subscribe(options.matches), {
    admit: allowed ? (event) => perEvent(event, verdictKey, () => allowed(actor, event)) : () => true,
    // Said once per event, however many subscribers it was for.
    skipped: (event, error) =>
      perEvent(event, `skipped:${options.kind}`, () =>
        ctx.services.log("warn", "a live event could not be checked for its subscribers (the database away?) and was not sent to them", {
          kind: options.kind,
          error: String(error),
        }),
      ),
    // One cache per person per event: their subscriptions batch and share its loads.
    arrived: (event) => (ctx.loaders = perEvent(event, loadersKey, () => new LoaderCache(ctx.services, ctx.viewer))),
  });
}

/** `compute` once per event for every subscriber the policies cannot tell from `actor`: to load an event's subject once per view. */
export function sharedByView<T>(event: BusEvent, actor: Actor, what: string, compute: () => T): T {
  return perEvent(event, `${what}:${visibilityKey(actor)}`, compute);
}

class LiveEventStream<E> implements AsyncIterableIterator<E> {
  constructor(
    private readonly source: AsyncIterableIterator<E>,
    private readonly steps: { admit: (event: E) => boolean | Promise<boolean>; arrived: (event: E) => void; skipped: (event: E, error: unknown) => void },
  ) {}

  async next(): Promise<IteratorResult<E>> {
    for (;;) {
      const result = await this.source.next();
      if (result.done) return result;
      // A check that fails (the database restarting) costs that event, not the subscription.
      const admitted = await Promise.resolve(this.steps.admit(result.value)).catch((error: unknown) => (this.steps.skipped(result.value, error), false));
      if (!admitted) continue;
      this.steps.arrived(result.value);
      return result;
    }
  }

  /** Leaves the bus at once, also while a `next()` waits (that one then ends). */
  return(): Promise<IteratorResult<E>> {
    return this.source.return?.() ?? Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<E>> {
    void this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<E> {
    return this;
  }
}

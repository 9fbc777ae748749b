// What subscribers compute for one event, computed once: the bus hands the same event object to
// every subscription of the instance, so a value keyed by (event, key) is shared by all the
// subscriptions that ask with the same key, and dropped with the event.
const shares = new WeakMap<object, Map<string, unknown>>();

/** The value of `compute` for this event and key, computed by the first subscriber that asks. */
export function perEvent<T>(event: object, key: string, compute: () => T): T {
  let byKey = shares.get(event);
  if (!byKey) shares.set(event, (byKey = new Map()));
  if (!byKey.has(key)) byKey.set(key, compute());
  return byKey.get(key) as T;
}

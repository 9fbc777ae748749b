// Per-subscriber filtering of a bus subscription: each event passes only if `allowed` says so
// (the policy check for that subscriber); ending the consumer ends the source.
//
// The bus hands one event object to every subscription of the instance, so the verdict is
// shared: subscriptions with the same `key` (the same kind of check for the same actor) ask the
// database once per event, however many of them there are.
const verdicts = new WeakMap<object, Map<string, Promise<boolean>>>();

function verdict<E extends object>(event: E, key: string, allowed: (event: E) => Promise<boolean>): Promise<boolean> {
  let byKey = verdicts.get(event);
  if (!byKey) verdicts.set(event, (byKey = new Map()));
  let found = byKey.get(key);
  if (!found) byKey.set(key, (found = allowed(event)));
  return found;
}

export async function* filterEvents<E extends object>(source: AsyncIterableIterator<E>, key: string, allowed: (event: E) => Promise<boolean>): AsyncGenerator<E> {
  try {
    for await (const event of source) {
      if (await verdict(event, key, allowed)) yield event;
    }
  } finally {
    await source.return?.();
  }
}

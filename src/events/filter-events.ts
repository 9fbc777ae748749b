// Per-subscriber filtering of a bus subscription: each event passes only if `allowed` says so
// (the policy check for that subscriber); ending the consumer ends the source.
export async function* filterEvents<E>(source: AsyncIterableIterator<E>, allowed: (event: E) => Promise<boolean>): AsyncGenerator<E> {
  try {
    for await (const event of source) {
      if (await allowed(event)) yield event;
    }
  } finally {
    await source.return?.();
  }
}

// Walk every page of a cursor connection.

export interface PageOf<N> {
  nodes: ReadonlyArray<N>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * Yields every node of a connection, fetching page after page with `fetchPage(after)`.
 * @example for await (const a of iterateConnection((after) => client.request(AdministrationsDocument, { after }).then((d) => d.administrations))) …
 */
export async function* iterateConnection<N>(fetchPage: (after: string | null) => Promise<PageOf<N>>): AsyncGenerator<N, void, undefined> {
  let after: string | null = null;
  while (true) {
    const page: PageOf<N> = await fetchPage(after);
    yield* page.nodes;
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return;
    after = page.pageInfo.endCursor;
  }
}

/** Collects every node of a connection into an array. */
export async function collectConnection<N>(fetchPage: (after: string | null) => Promise<PageOf<N>>): Promise<N[]> {
  const all: N[] = [];
  for await (const node of iterateConnection(fetchPage)) all.push(node);
  return all;
}

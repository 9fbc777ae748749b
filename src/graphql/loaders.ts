// Request-scoped DataLoaders, created lazily: `ctx.loaders.get(factory)` returns the one loader
// of that factory for this request. Modules define their factories beside their entities.
import DataLoader from "dataloader";
import type { SelectQueryBuilder } from "typeorm";
import type { Actor, Viewer } from "../core/actor.js";
import type { Page, PageArgs } from "../db/pagination.js";
import type { Services } from "../services.js";

/** Makes a loader for one request; `viewer` is for loaders whose answer depends on who asks (counts). */
export type LoaderFactory<K, V> = (services: Services, viewer: Viewer) => DataLoader<K, V>;

export class LoaderCache {
  private readonly loaders = new Map<LoaderFactory<unknown, unknown>, DataLoader<unknown, unknown>>();

  constructor(
    private readonly services: Services,
    private readonly viewer: Viewer,
  ) {}

  get<K, V>(factory: LoaderFactory<K, V>): DataLoader<K, V> {
    let loader = this.loaders.get(factory as LoaderFactory<unknown, unknown>);
    if (!loader) {
      loader = factory(this.services, this.viewer) as DataLoader<unknown, unknown>;
      this.loaders.set(factory as LoaderFactory<unknown, unknown>, loader);
    }
    return loader as DataLoader<K, V>;
  }
}

/** Orders `rows` to match `keys` (DataLoader's contract); missing keys give null. */
export function byKey<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): Array<V | null> {
  const map = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => map.get(key) ?? null);
}

/** Groups `rows` by key, in the order of `keys`. */
export function groupByKey<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): V[][] {
  const map = new Map<K, V[]>();
  for (const row of rows) {
    const list = map.get(keyOf(row));
    if (list) list.push(row);
    else map.set(keyOf(row), [row]);
  }
  return keys.map((key) => map.get(key) ?? []);
}

/** Key of a paged loader: whose list, and which page of it. */
export interface PageKey {
  id: string;
  page: PageArgs;
}

const pageArgsKey = ({ page }: PageKey): string => JSON.stringify([page.first ?? null, page.after ?? null, page.last ?? null, page.before ?? null]);

/**
 * One page of each of several owners' lists (a page of documents, each with its events): the keys
 * of a batch that ask for the same page go to one `loadPages` call, so a list costs one statement
 * per distinct page request, not one per owner.
 */
export function pagesLoader<T>(loadPages: (ids: readonly string[], page: PageArgs) => Promise<Array<Page<T>>>): DataLoader<PageKey, Page<T>, string> {
  return new DataLoader(
    async (keys) => {
      const groups = new Map<string, PageKey[]>();
      for (const key of keys) {
        const group = groups.get(pageArgsKey(key));
        if (group) group.push(key);
        else groups.set(pageArgsKey(key), [key]);
      }
      const pages = new Map<PageKey, Page<T> | Error>();
      await Promise.all(
        [...groups.values()].map(async (group) => {
          try {
            const loaded = await loadPages(
              group.map((k) => k.id),
              group[0]!.page,
            );
            group.forEach((key, index) => pages.set(key, loaded[index]!));
          } catch (error) {
            // A bad page request (a forged cursor) fails the fields that asked for it, not the batch.
            for (const key of group) pages.set(key, error instanceof Error ? error : new Error(String(error)));
          }
        }),
      );
      return keys.map((key) => pages.get(key)!);
    },
    { cacheKeyFn: (key) => `${key.id}|${pageArgsKey(key)}` },
  );
}

/** A policy's SQL scope: limits a query (alias `alias`) to the rows `actor` may see. */
export type Scope = <T extends object>(qb: SelectQueryBuilder<T>, alias: string, actor: Actor) => SelectQueryBuilder<T>;

/** A loader of rows by id through a policy's scope, one statement per batch; null where the viewer may not see the row. */
export function visibleById<E extends { id: string }>(entity: new () => E, scope: Scope): LoaderFactory<string, E | null> {
  return ({ dataSource }, viewer) =>
    new DataLoader(async (ids) => {
      if (viewer.type === "ANONYMOUS") return ids.map(() => null);
      const qb = dataSource
        .getRepository(entity)
        .createQueryBuilder("v")
        .where("v.id IN (:...ids)", { ids: [...ids] });
      return byKey(ids, await scope(qb, "v", viewer).getMany(), (row) => row.id);
    });
}

// Keyset (cursor) pagination over a query builder: stable under inserts, an index range scan
// rather than OFFSET, forwards (`first`/`after`) and backwards (`last`/`before`, read in the
// reverse order and turned round). The cursor holds the sort value as PostgreSQL printed it, so
// precision (microseconds, collation) is never lost in JavaScript.
import type { ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { BadInputError } from "../core/errors.js";
import { unsafeTextProblem } from "../core/text.js";
import { isCalendarDate } from "../core/validation.js";

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface SortSpec {
  /** SQL expression of the sort key, e.g. `a.created_at` or `lower(a.name)`. */
  expr: string;
  /** Its SQL type, used to read the cursor value back. */
  type: "timestamptz" | "text" | "bigint" | "uuid" | "date" | "float8";
  direction: "ASC" | "DESC";
  /** Column used to break ties (unique). */
  idExpr: string;
}

export interface Page<T> {
  items: T[];
  cursors: string[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  /** Counts every row of the unpaged query; runs only when asked for. */
  totalCount: () => Promise<number>;
}

export const DEFAULT_PAGE_SIZE = 20;

/** A page of a list the viewer may not read: empty, nothing either side. */
export function emptyPage<T>(): Page<T> {
  return { items: [], cursors: [], hasNextPage: false, hasPreviousPage: false, totalCount: () => Promise.resolve(0) };
}

function encodeCursor(value: string | null, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString("base64url");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// PostgreSQL's text form of a timestamptz (DateStyle ISO), e.g. "2026-12-01 21:51:38.123456+00".
const TIMESTAMPTZ = /^(\d{4}-\d{2}-\d{2}) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?[+-](0\d|1[0-5])(:[0-5]\d)?$/;

/** Whether `value` casts to `type` in PostgreSQL: a forged cursor is refused here, not by the database. */
function castable(type: SortSpec["type"], value: string): boolean {
  switch (type) {
    case "uuid":
      return UUID.test(value);
    case "bigint":
      return /^-?\d{1,18}$/.test(value);
    case "float8":
      return (/^-?\d{1,20}(\.\d{1,20})?(e[+-]?\d{1,3})?$/i.test(value) && Number.isFinite(Number(value))) || ["NaN", "Infinity", "-Infinity"].includes(value);
    case "date":
      return isCalendarDate(value);
    case "timestamptz": {
      const match = TIMESTAMPTZ.exec(value);
      return Boolean(match && isCalendarDate(match[1]!));
    }
    case "text":
      return value.length <= 2000 && unsafeTextProblem(value) === null;
  }
}

function decodeCursor(cursor: string, type: SortSpec["type"], argument: "after" | "before"): [string | null, string] {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[1] === "string" &&
      UUID.test(parsed[1]) &&
      (parsed[0] === null || (typeof parsed[0] === "string" && castable(type, parsed[0])))
    ) {
      return parsed as [string | null, string];
    }
  } catch {
    // fall through
  }
  throw new BadInputError(`\`${argument}\` is not a cursor returned by this list`);
}

export function checkPageSize(first: number | null | undefined, max: number, argument: "first" | "last" = "first"): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > max) {
    throw new BadInputError(`\`${argument}\` must be a whole number from 0 to ${max}`);
  }
  return size;
}

/** How big a page is and which way it is read: `last` reads backwards from `before` (or the end). */
export function pageShape(args: PageArgs, max: number): { size: number; backward: boolean } {
  if (args.first != null && args.last != null) throw new BadInputError("Give `first` or `last`, not both");
  return args.last != null ? { size: checkPageSize(args.last, max, "last"), backward: true } : { size: checkPageSize(args.first, max), backward: false };
}

const flip = (direction: SortSpec["direction"]): SortSpec["direction"] => (direction === "ASC" ? "DESC" : "ASC");

/** Keeps the rows that come after `cursor` when the list is read in `direction`. */
function afterCursor<T extends ObjectLiteral>(paged: SelectQueryBuilder<T>, sort: SortSpec, direction: SortSpec["direction"], cursor: [string | null, string], name: string): void {
  const [value, id] = cursor;
  const op = direction === "ASC" ? ">" : "<";
  if (value === null) {
    // NULL sort values come last in ASC and first in DESC; keep it simple: only ids after
    paged.andWhere(`${sort.expr} IS NULL AND ${sort.idExpr} ${op} :${name}Id`, { [`${name}Id`]: id });
  } else {
    paged.andWhere(`(${sort.expr}, ${sort.idExpr}) ${op} (CAST(:${name}Value AS ${sort.type}), CAST(:${name}Id AS uuid))`, { [`${name}Value`]: value, [`${name}Id`]: id });
  }
}

/** `qb` narrowed to the rows between the cursors of `args`. */
function betweenCursors<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, args: PageArgs, sort: SortSpec): SelectQueryBuilder<T> {
  const paged = qb.clone();
  if (args.after) afterCursor(paged, sort, sort.direction, decodeCursor(args.after, sort.type, "after"), "pdAfter");
  if (args.before) afterCursor(paged, sort, flip(sort.direction), decodeCursor(args.before, sort.type, "before"), "pdBefore");
  return paged;
}

/**
 * The page's statement: `qb` between the cursors, in the order it is read (the list's order, or
 * the reverse for `last`), one row more than the page (to know if more follow that way).
 */
function pageStatement<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, args: PageArgs, sort: SortSpec, size: number, backward: boolean): SelectQueryBuilder<T> {
  const direction = backward ? flip(sort.direction) : sort.direction;
  return betweenCursors(qb, args, sort)
    .addSelect(`(${sort.expr})::text`, "pd_cursor_value")
    .orderBy(sort.expr, direction)
    .addOrderBy(sort.idExpr, direction)
    .limit(size + 1);
}

/** Both ends of a page: more beyond it the way it was read, and a cursor on the side it came from. */
export function pageEnds(args: PageArgs, backward: boolean, more: boolean): { hasNextPage: boolean; hasPreviousPage: boolean } {
  return backward ? { hasNextPage: Boolean(args.before), hasPreviousPage: more } : { hasNextPage: more, hasPreviousPage: Boolean(args.after) };
}

export async function paginate<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, args: PageArgs, sort: SortSpec, maxPageSize: number): Promise<Page<T>> {
  const { size, backward } = pageShape(args, maxPageSize);
  const counter = qb.clone();
  const { entities, raw } = await pageStatement(qb, args, sort, size, backward).getRawAndEntities();
  const idKey = sort.idExpr.replace(".", "_");
  const read = entities.slice(0, size).map((item, index) => {
    const row = raw[index] as Record<string, string | null>;
    return { item, cursor: encodeCursor(row.pd_cursor_value ?? null, String(row[idKey] ?? (item as { id?: string }).id)) };
  });
  if (backward) read.reverse();
  let count: Promise<number> | null = null;
  return {
    items: read.map((r) => r.item),
    cursors: read.map((r) => r.cursor),
    ...pageEnds(args, backward, entities.length > size),
    totalCount: () => (count ??= counter.orderBy().getCount()),
  };
}

/**
 * A page of ids only, counted in the same statement (a window count) on the first page: for costly
 * filters with thousands of matches (search), where one scan must serve both, and where carrying
 * whole rows through the window would spill them to disk. The caller loads the page's rows.
 */
export async function paginateIds<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, args: PageArgs, sort: SortSpec, maxPageSize: number): Promise<Page<string>> {
  const { size, backward } = pageShape(args, maxPageSize);
  const counter = qb.clone();
  const paged = pageStatement(qb, args, sort, size, backward).select(`${sort.idExpr}`, "pd_id").addSelect(`(${sort.expr})::text`, "pd_cursor_value");
  // On an end page a window count sees every matching row; past a cursor it would not.
  const inline = !args.after && !args.before && size > 0;
  if (inline) paged.addSelect("count(*) OVER ()", "pd_total");
  const rows = await paged.getRawMany<{ pd_id: string; pd_cursor_value: string | null; pd_total?: string }>();
  const items = rows.slice(0, size);
  if (backward) items.reverse();
  let count: Promise<number> | null = inline ? Promise.resolve(Number(rows[0]?.pd_total ?? 0)) : null;
  return {
    items: items.map((r) => r.pd_id),
    cursors: items.map((r) => encodeCursor(r.pd_cursor_value, r.pd_id)),
    ...pageEnds(args, backward, rows.length > size),
    totalCount: () => (count ??= counter.orderBy().getCount()),
  };
}

/**
 * The same page of each of several lists in one statement — e.g. the events of each document of a
 * page of documents: `qb` holds the rows of all `keys` (told apart by `partition`); a window
 * ranks each key's rows in the order they are read and the first `size + 1` of each are kept. The
 * counts, when asked for, are one grouped statement for all keys.
 */
export async function paginateEach<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  partition: { expr: string; of: (item: T) => string },
  keys: readonly string[],
  args: PageArgs,
  sort: SortSpec,
  maxPageSize: number,
): Promise<Array<Page<T>>> {
  const { size, backward } = pageShape(args, maxPageSize);
  const direction = backward ? flip(sort.direction) : sort.direction;
  const ranked = betweenCursors(qb, args, sort)
    .select(sort.idExpr, "pd_id")
    .addSelect(`row_number() OVER (PARTITION BY ${partition.expr} ORDER BY ${sort.expr} ${direction}, ${sort.idExpr} ${direction})`, "pd_rank")
    .orderBy();
  const { entities, raw } = await qb
    .clone()
    .andWhere(`${sort.idExpr} IN (SELECT pd_id FROM (${ranked.getQuery()}) pd_ranked WHERE pd_rank <= :pdEachLimit)`)
    .setParameters({ ...ranked.getParameters(), pdEachLimit: size + 1 })
    .addSelect(`(${sort.expr})::text`, "pd_cursor_value")
    .orderBy(partition.expr)
    .addOrderBy(sort.expr, direction)
    .addOrderBy(sort.idExpr, direction)
    .getRawAndEntities();
  const idKey = sort.idExpr.replace(".", "_");
  const read = new Map<string, Array<{ item: T; cursor: string }>>();
  entities.forEach((item, index) => {
    const row = raw[index] as Record<string, string | null>;
    const key = partition.of(item);
    const list = read.get(key) ?? [];
    list.push({ item, cursor: encodeCursor(row.pd_cursor_value ?? null, String(row[idKey] ?? (item as { id?: string }).id)) });
    read.set(key, list);
  });
  let counts: Promise<Map<string, number>> | null = null;
  const countAll = async (): Promise<Map<string, number>> => {
    const rows = await qb
      .clone()
      .select(partition.expr, "pd_key")
      .addSelect("count(*)", "pd_count")
      .groupBy(partition.expr)
      .orderBy()
      .getRawMany<{ pd_key: string; pd_count: string }>();
    return new Map(rows.map((r) => [r.pd_key, Number(r.pd_count)]));
  };
  return keys.map((key) => {
    const all = read.get(key) ?? [];
    const page = all.slice(0, size);
    if (backward) page.reverse();
    return {
      items: page.map((r) => r.item),
      cursors: page.map((r) => r.cursor),
      ...pageEnds(args, backward, all.length > size),
      totalCount: async () => (await (counts ??= countAll())).get(key) ?? 0,
    };
  });
}

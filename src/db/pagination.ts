// Keyset (cursor) pagination over a query builder: stable under inserts, an index range scan
// rather than OFFSET. The cursor holds the sort value as PostgreSQL printed it, so precision
// (microseconds, collation) is never lost in JavaScript.
import type { ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { BadInputError } from "../core/errors.js";
import { unsafeTextProblem } from "../core/text.js";
import { isCalendarDate } from "../core/validation.js";

export interface PageArgs {
  first?: number | null;
  after?: string | null;
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

function decodeCursor(cursor: string, type: SortSpec["type"]): [string | null, string] {
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
  throw new BadInputError("`after` is not a cursor returned by this list");
}

export function checkPageSize(first: number | null | undefined, max: number): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > max) {
    throw new BadInputError(`\`first\` must be a whole number from 0 to ${max}`);
  }
  return size;
}

/** The page's statement: `qb` after the cursor, in sort order, one row more than the page (to know if more follow). */
function pageStatement<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, args: PageArgs, sort: SortSpec, size: number): SelectQueryBuilder<T> {
  const paged = qb.clone();
  if (args.after) {
    const [value, id] = decodeCursor(args.after, sort.type);
    const op = sort.direction === "ASC" ? ">" : "<";
    if (value === null) {
      // NULL sort values come last in ASC and first in DESC; keep it simple: only ids after
      paged.andWhere(`${sort.expr} IS NULL AND ${sort.idExpr} ${op} :pdCursorId`, { pdCursorId: id });
    } else {
      paged.andWhere(`(${sort.expr}, ${sort.idExpr}) ${op} (CAST(:pdCursorValue AS ${sort.type}), CAST(:pdCursorId AS uuid))`, {
        pdCursorValue: value,
        pdCursorId: id,
      });
    }
  }
  return paged
    .addSelect(`(${sort.expr})::text`, "pd_cursor_value")
    .orderBy(sort.expr, sort.direction)
    .addOrderBy(sort.idExpr, sort.direction)
    .limit(size + 1);
}

export async function paginate<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, args: PageArgs, sort: SortSpec, maxPageSize: number): Promise<Page<T>> {
  const size = checkPageSize(args.first, maxPageSize);
  const counter = qb.clone();
  const { entities, raw } = await pageStatement(qb, args, sort, size).getRawAndEntities();
  const hasNextPage = entities.length > size;
  const items = entities.slice(0, size);
  const idKey = sort.idExpr.replace(".", "_");
  const cursors = items.map((item, index) => {
    const row = raw[index] as Record<string, string | null>;
    return encodeCursor(row.pd_cursor_value ?? null, String(row[idKey] ?? (item as { id?: string }).id));
  });
  let count: Promise<number> | null = null;
  return {
    items,
    cursors,
    hasNextPage,
    hasPreviousPage: Boolean(args.after),
    totalCount: () => (count ??= counter.orderBy().getCount()),
  };
}

/**
 * A page of ids only, counted in the same statement (a window count) on the first page: for costly
 * filters with thousands of matches (search), where one scan must serve both, and where carrying
 * whole rows through the window would spill them to disk. The caller loads the page's rows.
 */
export async function paginateIds<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, args: PageArgs, sort: SortSpec, maxPageSize: number): Promise<Page<string>> {
  const size = checkPageSize(args.first, maxPageSize);
  const counter = qb.clone();
  const paged = pageStatement(qb, args, sort, size).select(`${sort.idExpr}`, "pd_id").addSelect(`(${sort.expr})::text`, "pd_cursor_value");
  // On the first page a window count sees every matching row; after a cursor it would not.
  const inline = !args.after && size > 0;
  if (inline) paged.addSelect("count(*) OVER ()", "pd_total");
  const rows = await paged.getRawMany<{ pd_id: string; pd_cursor_value: string | null; pd_total?: string }>();
  const items = rows.slice(0, size);
  let count: Promise<number> | null = inline ? Promise.resolve(Number(rows[0]?.pd_total ?? 0)) : null;
  return {
    items: items.map((r) => r.pd_id),
    cursors: items.map((r) => encodeCursor(r.pd_cursor_value, r.pd_id)),
    hasNextPage: rows.length > size,
    hasPreviousPage: Boolean(args.after),
    totalCount: () => (count ??= counter.orderBy().getCount()),
  };
}

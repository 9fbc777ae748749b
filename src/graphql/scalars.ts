// Scalars used across the schema (from graphql-scalars, the maintained set).
import { GraphQLError, GraphQLScalarType, Kind } from "graphql";
import { DateTimeResolver, JSONObjectResolver, LocalDateResolver, SafeIntResolver } from "graphql-scalars";
import { parseCents } from "../core/money.js";

/** ISO-8601 date-time with offset, e.g. 2026-03-12T10:41:00.000Z. */
export const DateTime = DateTimeResolver;
/** An arbitrary JSON object (audit details). */
export const JSONObject = JSONObjectResolver;
/** A calendar day without a time or zone, "YYYY-MM-DD" (RFC 3339 full-date); impossible days are refused. */
export const LocalDate = LocalDateResolver;
/** A calendar month, "YYYY-MM" (financial figures are by month). */
export const YearMonth = new GraphQLScalarType<string, string>({
  name: "YearMonth",
  description: 'A calendar month as "YYYY-MM", e.g. "2026-03".',
  serialize: (value) => yearMonth(value),
  parseValue: (value) => yearMonth(value),
  parseLiteral: (ast) => yearMonth(ast.kind === Kind.STRING ? ast.value : undefined),
});

function yearMonth(value: unknown): string {
  if (typeof value !== "string" || !/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw new GraphQLError('A month is "YYYY-MM", e.g. "2026-03"');
  return value;
}

/** A whole number up to 2^53 - 1 (byte sizes beyond Int's 2^31). */
export const SafeInt = SafeIntResolver;

/** An exact euro amount as a decimal string with at most two decimals, e.g. "1234.50". */
export const Decimal = new GraphQLScalarType<string, string>({
  name: "Decimal",
  description: 'An exact euro amount as a string with at most two decimals, e.g. "1234.50" or "-12.3" (never a float, so cents are never lost).',
  serialize: (value) => String(value),
  parseValue: (value) => decimalInput(value),
  parseLiteral: (ast) => decimalInput(ast.kind === Kind.STRING ? ast.value : undefined),
});

function decimalInput(value: unknown): string {
  if (typeof value !== "string" || parseCents(value) === null) {
    throw new GraphQLError('Decimal amounts are strings with at most 13 digits and two decimals, e.g. "1234.50"');
  }
  return value.trim();
}

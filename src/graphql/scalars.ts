// Scalars used across the schema (from graphql-scalars, the maintained set).
import { DateTimeResolver, JSONObjectResolver, SafeIntResolver } from "graphql-scalars";

/** ISO-8601 date-time with offset, e.g. 2026-03-12T10:41:00.000Z. */
export const DateTime = DateTimeResolver;
/** An arbitrary JSON object (audit details). */
export const JSONObject = JSONObjectResolver;
/** A whole number up to 2^53 - 1 (byte sizes beyond Int's 2^31). */
export const SafeInt = SafeIntResolver;

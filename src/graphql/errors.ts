// Maps failures to the GraphQL error codes of our API, and keeps internals away from clients.
import { HeaderMap } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { BadInputError, ForbiddenError, NotFoundError, UnauthenticatedError } from "../core/errors.js";

export enum ErrorCode {
  UNAUTHENTICATED = "UNAUTHENTICATED",
  FORBIDDEN = "FORBIDDEN",
  NOT_FOUND = "NOT_FOUND",
  BAD_USER_INPUT = "BAD_USER_INPUT",
  INTERNAL = "INTERNAL",
  RATE_LIMITED = "RATE_LIMITED",
}

/** Codes Apollo and graphql-js give themselves, passed through unchanged. */
const PASS_THROUGH = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  ...Object.values(ErrorCode),
]);

export function codeOf(error: unknown): ErrorCode | null {
  if (error instanceof UnauthenticatedError) return ErrorCode.UNAUTHENTICATED;
  if (error instanceof ForbiddenError) return ErrorCode.FORBIDDEN;
  if (error instanceof NotFoundError) return ErrorCode.NOT_FOUND;
  if (error instanceof BadInputError) return ErrorCode.BAD_USER_INPUT;
  return null;
}

/** A GraphQLError for a domain error (used where there is no resolver, e.g. context creation). */
export function toGraphQLError(error: Error, httpStatus?: number): GraphQLError {
  const code = codeOf(error) ?? ErrorCode.INTERNAL;
  return new GraphQLError(code === ErrorCode.INTERNAL ? "Internal server error" : error.message, {
    extensions: { code, ...(httpStatus ? { http: { status: httpStatus } } : {}) },
  });
}

/** Over the request budget (server/request-limits.ts): HTTP 429 with Retry-After, and the wait in `extensions.retryAfter`. */
export function rateLimitedError(waitSeconds: number): GraphQLError {
  return new GraphQLError(`Too many requests: try again in ${waitSeconds} s`, {
    extensions: { code: ErrorCode.RATE_LIMITED, retryAfter: waitSeconds, http: { status: 429, headers: new HeaderMap([["retry-after", String(waitSeconds)]]) } },
  });
}

type Kind = "domain" | "given" | "request" | "unexpected";

/**
 * What an error is: one of the domain's (it has its code), one Apollo or graphql-js coded itself, a
 * request graphql-js could not run (uncoded, outside any field), or unexpected — a bug or an outage.
 */
function classify(error: unknown, given: string | undefined): Kind {
  const original = unwrapResolverError(error);
  if (codeOf(original)) return "domain";
  if (given && PASS_THROUGH.has(given) && !(original instanceof Error && !(original instanceof GraphQLError))) return "given";
  if (original instanceof GraphQLError && !original.originalError && !original.path) return "request";
  return "unexpected";
}

/** Whether `error` (as a plugin's didEncounterErrors sees it) is a bug or an outage, to be logged. */
export function isUnexpected(error: GraphQLError): boolean {
  return classify(error, error.extensions?.code as string | undefined) === "unexpected";
}

/**
 * Apollo's formatError: domain errors get their code; anything unexpected becomes INTERNAL with a
 * generic message (logged by `onInternal`, or by the caller's plugin); never a stack trace or SQL to the client.
 */
export function formatError(onInternal: (error: unknown) => void = () => undefined) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const { stacktrace: _drop, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
    switch (classify(error, extensions.code as string | undefined)) {
      case "domain":
        return { ...formatted, message: (original as Error).message, extensions: { ...extensions, code: codeOf(original) } };
      case "given":
        return { ...formatted, extensions };
      // graphql-js' own request errors (variables it could not coerce, "too many errors") carry no code.
      case "request":
        return { ...formatted, extensions: { ...extensions, code: ErrorCode.BAD_USER_INPUT } };
      case "unexpected":
        onInternal(original);
        return { message: "Internal server error", locations: formatted.locations, path: formatted.path, extensions: { code: ErrorCode.INTERNAL } };
    }
  };
}

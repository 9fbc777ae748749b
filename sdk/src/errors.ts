// Typed errors: one class per `extensions.code` of the PortalDesk API, plus user errors of payloads.

/** One error as the server reports it in `errors`. */
export interface GraphQLErrorEntry {
  message: string;
  path?: ReadonlyArray<string | number>;
  locations?: ReadonlyArray<{ line: number; column: number }>;
  extensions?: { code?: string; [key: string]: unknown };
}

/** Base class of every error the SDK throws. */
export class PortalDeskError extends Error {
  /** `extensions.code` of the first error, or a code of the SDK (NETWORK_ERROR, HTTP_ERROR). */
  readonly code: string;
  /** All errors of the response. */
  readonly errors: GraphQLErrorEntry[];
  /** HTTP status, when there was a response. */
  readonly status: number | null;
  /** Partial data that came with the errors, if any. */
  readonly data: unknown;
  /** The wait the response's Retry-After header named (ms), if any. */
  readonly retryAfterMs: number | null;

  constructor(message: string, options: { code: string; errors?: GraphQLErrorEntry[]; status?: number | null; data?: unknown; cause?: unknown; retryAfterMs?: number | null }) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.errors = options.errors ?? [];
    this.status = options.status ?? null;
    this.data = options.data ?? null;
    this.retryAfterMs = options.retryAfterMs ?? null;
  }
}

/** No valid token: sign in (again). */
export class UnauthenticatedError extends PortalDeskError {}
/** Signed in, but not allowed to do this. */
export class ForbiddenError extends PortalDeskError {}
/** The object does not exist, or not for this viewer. */
export class NotFoundError extends PortalDeskError {}
/** An argument or variable was malformed. */
export class BadUserInputError extends PortalDeskError {}
/** The request was refused before running: syntax, validation, depth/cost limits, bad body. */
export class InvalidRequestError extends PortalDeskError {}
/** The server failed unexpectedly. */
export class InternalServerError extends PortalDeskError {}
/** Over the request budget (HTTP 429): wait `retryAfter` seconds. The client retries by itself first (ClientOptions.retries). */
export class RateLimitedError extends PortalDeskError {
  /** Seconds to wait before asking again (the server's Retry-After). */
  readonly retryAfter: number;

  constructor(message: string, options: ConstructorParameters<typeof PortalDeskError>[1]) {
    super(message, options);
    const given = Number(options.errors?.[0]?.extensions?.retryAfter);
    this.retryAfter = Number.isFinite(given) && given > 0 ? given : 1;
  }
}
/** The server could not be reached, or answered with something that is not GraphQL. */
export class NetworkError extends PortalDeskError {}
/** No answer within the request's timeout (`timeoutMs`), retries included (code TIMEOUT). */
export class TimeoutError extends NetworkError {}
/** The caller aborted the request through its `signal` (code ABORTED; `cause` is the signal's reason). */
export class AbortedError extends PortalDeskError {}

const byCode: Record<string, typeof PortalDeskError> = {
  UNAUTHENTICATED: UnauthenticatedError,
  FORBIDDEN: ForbiddenError,
  NOT_FOUND: NotFoundError,
  BAD_USER_INPUT: BadUserInputError,
  GRAPHQL_PARSE_FAILED: InvalidRequestError,
  GRAPHQL_VALIDATION_FAILED: InvalidRequestError,
  BAD_REQUEST: InvalidRequestError,
  OPERATION_RESOLUTION_FAILURE: InvalidRequestError,
  INTERNAL: InternalServerError,
  INTERNAL_SERVER_ERROR: InternalServerError,
  RATE_LIMITED: RateLimitedError,
};

/** The typed error for a response's `errors`. */
export function errorFromResponse(errors: GraphQLErrorEntry[], status: number | null, data: unknown, retryAfterMs: number | null = null): PortalDeskError {
  const code = errors[0]?.extensions?.code ?? "UNKNOWN";
  const ErrorClass = byCode[code] ?? PortalDeskError;
  const message = errors.map((e) => e.message).join("; ") || "GraphQL request failed";
  return new ErrorClass(message, { code, errors, status, data, retryAfterMs });
}

/** An expected failure of a mutation, as in a payload's `userErrors`. */
export interface UserErrorEntry {
  code: string;
  message: string;
  field: ReadonlyArray<string> | null;
}

/** Thrown by `unwrap()` when a payload has user errors. */
export class UserErrorsError extends Error {
  constructor(readonly userErrors: UserErrorEntry[]) {
    super(userErrors.map((e) => e.message).join("; "));
    this.name = "UserErrorsError";
  }

  /** The code of the first user error. */
  get code(): string {
    return this.userErrors[0]?.code ?? "UNKNOWN";
  }
}

/** Returns the payload when it has no `userErrors`; throws UserErrorsError otherwise. */
export function unwrap<P extends { userErrors: ReadonlyArray<UserErrorEntry> }>(payload: P): P {
  if (payload.userErrors.length > 0) throw new UserErrorsError([...payload.userErrors]);
  return payload;
}

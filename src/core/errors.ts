// Domain errors. Services throw these; the GraphQL layer maps them to `extensions.code`
// (top-level errors) or to `userErrors` in a payload. They know nothing of GraphQL.
import type { Localized } from "./language.js";

/** Codes of expected failures a user can act on, returned in payloads' `userErrors`. */
export enum UserErrorCode {
  /** A value is malformed or out of range. */
  INVALID = "INVALID",
  /** Something with the same identity exists already. */
  ALREADY_EXISTS = "ALREADY_EXISTS",
  /** The object is not in a state that allows this. */
  WRONG_STATE = "WRONG_STATE",
  /** Email and password do not match an active account. */
  INVALID_CREDENTIALS = "INVALID_CREDENTIALS",
  /** Too many attempts; try again later. */
  TOO_MANY_ATTEMPTS = "TOO_MANY_ATTEMPTS",
  /** A token or invitation has expired or was used already. */
  EXPIRED = "EXPIRED",
  /** A referenced object does not exist (or is not visible). */
  NOT_FOUND = "NOT_FOUND",
  /** The object changed since the viewer saw it (its version differs): look again, then retry. */
  STALE = "STALE",
  /** The step needs a fresh confirmation (a code from the person's authenticator app). */
  CONFIRMATION_REQUIRED = "CONFIRMATION_REQUIRED",
}

export class UserError extends Error {
  /** What the person reads, in each language; `message` is the English (for logs). */
  readonly text: Localized;

  constructor(
    readonly code: UserErrorCode,
    text: Localized,
    /** Path of the field at fault within the service's input, e.g. ["email"] (the GraphQL layer prefixes "input"). */
    readonly field: string[] | null = null,
  ) {
    super(text.en);
    this.text = text;
  }
}

/** Several user errors at once (e.g. validation of a whole input). */
export class UserErrors extends Error {
  constructor(readonly errors: UserError[]) {
    super(errors.map((e) => e.message).join("; "));
  }
}

export class UnauthenticatedError extends Error {
  constructor(message = "Sign in first: this needs a valid token") {
    super(message);
  }
}

export class ForbiddenError extends Error {
  constructor(message = "You are not allowed to do this") {
    super(message);
  }
}

/** Also used for objects the viewer may not see: they do not exist for them. */
export class NotFoundError extends Error {
  constructor(what = "Object") {
    super(`${what} not found`);
  }
}

export class BadInputError extends Error {}

/** Throws a UserErrors of the collected problems, if any. */
export function throwIfAny(errors: UserError[]): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new UserErrors(errors);
}

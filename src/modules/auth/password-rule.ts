// The password rule: at least 10 characters, at most 256, and not easy to guess. Guessability is
// zxcvbn-ts's estimate with its dictionaries shipped in the package (common and breached passwords,
// English and Dutch words and names, keyboard patterns), plus what the person's own email and name
// give away; a score below 3 ("safely unguessable" against an online attack) is refused.
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as english from "@zxcvbn-ts/language-en";
import * as dutch from "@zxcvbn-ts/language-nl-be";
import { UserError, UserErrorCode } from "../../core/errors.js";

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;
const MIN_SCORE = 3;

let estimator: ZxcvbnFactory | null = null;

/** Built on first use: the dictionaries take a moment and some memory to index. */
function strength(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    translations: english.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...english.dictionary, ...dutch.dictionary },
  });
  return estimator;
}

/** The words a guesser tries first for this person: their address, name and firm. */
export function personalWords(person: { email: string; name: string }, firmName = ""): string[] {
  return [person.email, person.name, firmName];
}

/** Why `value` is not an acceptable password, or null. `personal`: the person's email, name, firm — words a guesser would try first. */
export function passwordProblem(value: string, field: string[], personal: string[] = []): UserError | null {
  if (value.length < PASSWORD_MIN_LENGTH) {
    return new UserError(UserErrorCode.INVALID, `The password needs at least ${PASSWORD_MIN_LENGTH} characters`, field);
  }
  if (value.length > PASSWORD_MAX_LENGTH) return new UserError(UserErrorCode.INVALID, `The password is longer than ${PASSWORD_MAX_LENGTH} characters`, field);
  // Each whole (an email address as typed) and its words (its name, its domain).
  const words = personal.flatMap((text) => [text.toLowerCase(), ...text.toLowerCase().split(/[^\p{L}\p{N}]+/u)]).filter((word) => word.length >= 3);
  const result = strength().check(value, words);
  if (result.score >= MIN_SCORE) return null;
  const why = result.feedback.warning ?? result.feedback.suggestions[0] ?? null;
  return new UserError(
    UserErrorCode.INVALID,
    `This password is too easy to guess${why ? `: ${why.replace(/\.$/, "")}` : ""}. Use a few unrelated words, or a password manager`,
    field,
  );
}

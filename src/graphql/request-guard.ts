// Checks on a GraphQL request before any costly work, for HTTP and WebSocket alike:
// - text no person types (NUL and other control characters, unpaired UTF-16 surrogates, bidi
//   overrides that disguise "fdp.exe" as "exe.pdf") is refused with BAD_USER_INPUT naming where it
//   sits, instead of reaching PostgreSQL (which cannot store NUL) as an INTERNAL error;
// - a document's tokens are counted by the lexer (linear) before it is parsed, with a lower limit
//   for anonymous callers, who only need to sign in;
// - the work of graphql-js' OverlappingFieldsCanBeMerged rule, quadratic in fields that share a
//   response name (`{ viewer { id } viewer { id } … }`), is estimated in one linear pass over
//   the parsed document and refused above a budget, before validation runs.
import { type DocumentNode, type FragmentDefinitionNode, GraphQLError, Kind, Lexer, parse, type SelectionSetNode, Source, TokenKind, visit, BREAK } from "graphql";
import { unsafeTextProblem } from "../core/text.js";

const MAX_WALK_DEPTH = 64;

export interface GuardLimits {
  maxTokens: number;
  maxTokensAnonymous: number;
  /** Estimated pairwise field comparisons of validation (sum of k² over repeated response names). */
  maxFieldComparisons: number;
}

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", http: { status: 400 } } });
}

/** The first string in a JSON value (variables, extensions) that is unsafe, with its path. */
function unsafeTextIn(value: unknown, path: string, depth = 0): GraphQLError | null {
  if (typeof value === "string") {
    const problem = unsafeTextProblem(value);
    return problem ? badInput(`The value at ${path} ${problem.en}`) : null;
  }
  if (value === null || typeof value !== "object" || depth > MAX_WALK_DEPTH) return null;
  // Only plain JSON: upload placeholders and other objects the transport put in are not text.
  const proto = Object.getPrototypeOf(value) as unknown;
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return null;
  for (const [key, item] of Object.entries(value)) {
    const keyProblem = unsafeTextProblem(key);
    if (keyProblem) return badInput(`A key in ${path} ${keyProblem.en}`);
    const found = unsafeTextIn(item, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

/** Counts tokens up to the limit without building the document; a syntax error is left to the parser. */
function exceedsTokens(source: string, limit: number): boolean {
  const lexer = new Lexer(new Source(source));
  let count = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (++count > limit) return true;
    }
  } catch {
    return false;
  }
  return false;
}

/**
 * Fields per response name of a selection set, inline fragments and named fragments flattened
 * (as OverlappingFieldsCanBeMerged sees them), each named fragment counted once per set.
 */
function responseNames(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, counts = new Map<string, number>(), seen = new Set<string>()): Map<string, number> {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      const name = selection.alias?.value ?? selection.name.value;
      counts.set(name, (counts.get(name) ?? 0) + 1);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      responseNames(selection.selectionSet, fragments, counts, seen);
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      if (fragment) responseNames(fragment.selectionSet, fragments, counts, seen);
    }
  }
  return counts;
}

/** Estimated field-pair comparisons of validation over the whole document. */
export function fieldComparisons(document: DocumentNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  let total = 0;
  const visit = (set: SelectionSetNode) => {
    for (const count of responseNames(set, fragments).values()) total += count * count;
    for (const selection of set.selections) if (selection.kind !== Kind.FRAGMENT_SPREAD && selection.selectionSet) visit(selection.selectionSet);
  };
  for (const definition of document.definitions) {
    if ("selectionSet" in definition && definition.selectionSet) visit(definition.selectionSet);
  }
  return total;
}

export interface GuardedRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
  extensions?: unknown;
}

/** GET requests carry variables and extensions as JSON text: the values in it are what count. */
function decoded(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value; // Apollo refuses it itself
  }
}

/** The first string literal of the parsed document whose value (escapes resolved: "\\u0000") is unsafe. */
function unsafeLiteralIn(document: DocumentNode): GraphQLError | null {
  let found: GraphQLError | null = null;
  visit(document, {
    StringValue(node) {
      const problem = found ? null : unsafeTextProblem(node.value);
      if (problem) {
        found = badInput(`A string in the query ${problem.en}`);
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** The reason to refuse `request` before parsing and validating it, or null. */
export function guardRequest(request: GuardedRequest, limits: GuardLimits, anonymous: boolean): GraphQLError | null {
  const textProblem =
    unsafeTextIn(request.query, "query") ??
    unsafeTextIn(request.operationName, "operationName") ??
    unsafeTextIn(decoded(request.variables), "variables") ??
    unsafeTextIn(decoded(request.extensions), "extensions");
  if (textProblem) return textProblem;
  if (typeof request.query !== "string") return null;
  const maxTokens = anonymous ? Math.min(limits.maxTokens, limits.maxTokensAnonymous) : limits.maxTokens;
  if (exceedsTokens(request.query, maxTokens)) {
    return new GraphQLError(`The query has more than ${maxTokens} tokens${anonymous ? " (the limit before signing in)" : ""}`, {
      extensions: { code: "GRAPHQL_PARSE_FAILED", http: { status: 400 } },
    });
  }
  let document: DocumentNode;
  try {
    document = parse(request.query, { noLocation: true });
  } catch {
    return null; // the parser reports it in its own words
  }
  const literal = unsafeLiteralIn(document);
  if (literal) return literal;
  if (fieldComparisons(document) > limits.maxFieldComparisons) {
    return new GraphQLError("The query repeats the same fields too often; ask for each field once", {
      extensions: { code: "GRAPHQL_VALIDATION_FAILED", http: { status: 400 } },
    });
  }
  return null;
}

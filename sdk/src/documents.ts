// What the client needs of an operation document: its text, its kind and name, and (for automatic
// persisted queries) its SHA-256. Generated documents are strings (TypedDocumentString); a parsed
// DocumentNode is taken too, by the source text it was parsed from, so the SDK never needs
// graphql's printer (and bundles stay small).
import type { DocumentTypeDecoration } from "@graphql-typed-document-node/core";

/** Any typed operation: a generated `XxxDocument`, or `parse(...)` cast to TypedDocumentNode. */
export type OperationDocument<R, V> = DocumentTypeDecoration<R, V>;

export interface OperationInfo {
  query: string;
  kind: "query" | "mutation" | "subscription";
  name: string | undefined;
}

const cache = new WeakMap<object, OperationInfo>();

export function operationOf<R, V>(document: OperationDocument<R, V>): OperationInfo {
  const known = cache.get(document);
  if (known) return known;
  const query = textOf(document);
  // The operation comes first in the SDK's documents; its keyword and name stand before its "{".
  const head = query.slice(0, Math.max(0, query.indexOf("{")));
  const match = /(?:^|\s)(query|mutation|subscription)\b\s*([_A-Za-z][_0-9A-Za-z]*)?/.exec(head);
  const info: OperationInfo = { query, kind: (match?.[1] as OperationInfo["kind"] | undefined) ?? "query", name: match?.[2] };
  cache.set(document, info);
  return info;
}

function textOf(document: unknown): string {
  if (typeof document === "string" || document instanceof String) return String(document);
  const body = (document as { loc?: { source?: { body?: string } } }).loc?.source?.body;
  if (typeof body === "string") return body;
  throw new TypeError("Pass a generated document (XxxDocument) or one made by graphql's parse() with its locations");
}

const hashes = new Map<string, Promise<string | null>>();

/** The query's SHA-256 (hex), or null where Web Crypto is missing (an http:// page other than localhost). */
/** @internal */
export function sha256Of(query: string): Promise<string | null> {
  let hash = hashes.get(query);
  if (!hash) {
    const subtle = globalThis.crypto?.subtle;
    hash = subtle
      ? subtle.digest("SHA-256", new TextEncoder().encode(query)).then((digest) => [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join(""))
      : Promise.resolve(null);
    hashes.set(query, hash);
  }
  return hash;
}

// Builds a GraphQL selection of every field of a type from the committed schema, the way Saleor's
// query-count benchmarks select broadly: a field resolver that loads per row shows up as a statement
// count that grows with the page. Connections below the top level are left out (each parent pages
// its own children, one query per parent by design), and so are fields with required arguments.
import { parse, buildSchema, getNamedType, isInterfaceType, isLeafType, isNonNullType, isObjectType, type GraphQLField, type GraphQLNamedType } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import fs from "node:fs";

const schema = buildSchema(fs.readFileSync(new URL("../../schema/schema.graphql", import.meta.url), "utf8"));

function isConnection(type: GraphQLNamedType): boolean {
  return type.name.endsWith("Connection");
}

function needsArguments(field: GraphQLField<unknown, unknown>): boolean {
  return field.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined);
}

/**
 * Every field of `typeName` that takes no required argument: leaves as they are, objects with their own
 * fields `depth` levels down (below that only `__typename`, which still runs the field's resolver).
 * `omit` names fields ("Type.field") to leave out.
 */
export function everyField(typeName: string, depth = 2, omit: ReadonlySet<string> = new Set()): string {
  const type = schema.getType(typeName);
  if (!type || !(isObjectType(type) || isInterfaceType(type))) throw new Error(`${typeName} is not an object type`);
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    if (omit.has(`${typeName}.${field.name}`) || needsArguments(field)) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) parts.push(field.name);
    else if (isConnection(named)) continue;
    else if (depth > 0 && (isObjectType(named) || isInterfaceType(named))) parts.push(`${field.name} { ${everyField(named.name, depth - 1, omit)} }`);
    else parts.push(`${field.name} { __typename }`);
  }
  return parts.join(" ");
}

/** A document (for the SDK client) from operation text. */
export function operation<R = Record<string, unknown>, V extends Record<string, unknown> = Record<string, unknown>>(text: string): TypedDocumentNode<R, V> {
  return parse(text) as TypedDocumentNode<R, V>;
}

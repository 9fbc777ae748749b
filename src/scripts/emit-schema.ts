// Writes schema/schema.graphql, sorted, from the code. CI fails when the committed file differs.
import "reflect-metadata";
import fs from "node:fs/promises";
import path from "node:path";
import { lexicographicSortSchema, printSchema } from "graphql";
import { getSchema } from "../graphql/schema.js";
import { resolvers } from "../modules/index.js";

export async function schemaText(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await getSchema(resolvers)))}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const target = path.resolve("schema/schema.graphql");
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.writeFile(target, await schemaText());
  console.log(`wrote ${target}`);
}

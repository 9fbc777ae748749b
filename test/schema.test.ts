import { expect } from "chai";
import fs from "node:fs/promises";
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, isScalarType, isUnionType, type GraphQLSchema } from "graphql";
import { getSchema } from "../src/graphql/schema.js";
import { resolvers } from "../src/modules/index.js";
import { schemaText } from "../src/scripts/emit-schema.js";

describe("the schema", () => {
  let schema: GraphQLSchema;
  before(async () => {
    schema = await getSchema(resolvers);
  });

  it("matches the committed schema/schema.graphql", async () => {
    const committed = await fs.readFile(new URL("../schema/schema.graphql", import.meta.url), "utf8");
    expect(committed === (await schemaText()), "schema/schema.graphql is stale: run `npm run codegen`").to.equal(true);
  });

  it("describes every type, field, argument and enum value", () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith("__")) continue;
      if (isScalarType(type) && ["String", "Int", "Float", "Boolean", "ID"].includes(type.name)) continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of "args" in field ? field.args : []) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
      if (isEnumType(type)) for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
      if (isUnionType(type) && !type.description) missing.push(type.name);
    }
    expect(missing).to.deep.equal([]);
  });

  it("names enum values in SCREAMING_CASE", () => {
    const wrong = Object.values(schema.getTypeMap())
      .filter(isEnumType)
      .filter((t) => !t.name.startsWith("__"))
      .flatMap((t) => t.getValues().map((v) => `${t.name}.${v.name}`))
      .filter((name) => !/^[A-Za-z]+\.[A-Z][A-Z0-9_]*$/.test(name));
    expect(wrong).to.deep.equal([]);
  });
});

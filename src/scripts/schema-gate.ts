// The API contract's gate (CI: `npm run schema:gate`). The released contract is committed as
// schema/released/<version>.graphql; the current schema may differ from the latest release only by
// additions, unless CHANGELOG.md's "Unreleased" section declares each breaking change with its
// migration. Fields are removed only after a release that deprecated them (`@deprecated(reason:)`).
//
//   npm run schema:gate                      compare schema/schema.graphql with the latest release
//   npm run schema:release -- <version>      make the current schema that release (CHANGELOG too)
import fs from "node:fs/promises";
import path from "node:path";
import { type Change, ChangeType, CriticalityLevel, diff } from "@graphql-inspector/core";
import { buildSchema, type GraphQLSchema, isInterfaceType, isObjectType, isInputObjectType } from "graphql";

export interface GateFiles {
  released: string;
  schema: string;
  changelog: string;
}

export interface GateResult {
  /** Breaking changes since the release, declared or not. */
  breaking: Change[];
  /** What fails the gate, in words. */
  problems: string[];
}

const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/;

/** The latest schema/released/<version>.graphql by semantic version. */
export async function latestRelease(dir: string): Promise<{ version: string; file: string } | null> {
  const versions = (await fs.readdir(dir))
    .map((name) => /^(\d+\.\d+\.\d+)\.graphql$/.exec(name)?.[1])
    .filter((v): v is string => Boolean(v))
    .sort((a, b) => {
      const [x, y] = [SEMVER.exec(a)!.slice(1).map(Number), SEMVER.exec(b)!.slice(1).map(Number)];
      return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!;
    });
  const version = versions.at(-1);
  return version ? { version, file: path.join(dir, `${version}.graphql`) } : null;
}

/** The "## Unreleased" section of a changelog (up to the next "## " heading). */
export function unreleasedSection(changelog: string): string {
  const start = changelog.search(/^## Unreleased\s*$/m);
  if (start < 0) return "";
  const rest = changelog.slice(start).split("\n").slice(1).join("\n");
  const end = rest.search(/^## /m);
  return end < 0 ? rest : rest.slice(0, end);
}

/** The section's list items, each with its continuation lines (joined by spaces). */
export function listItems(section: string): string[] {
  const items: string[] = [];
  for (const line of section.split("\n")) {
    if (/^[-*] /.test(line)) items.push(line);
    else if (items.length && /^\s+\S/.test(line)) items[items.length - 1] += ` ${line.trim()}`;
    else if (!line.trim() || /^#/.test(line)) items.push(""); // a blank line or heading ends the item
  }
  return items.filter(Boolean);
}

/** What a change is declared under: its schema path ("Type.field", "Type.field.argument", "Type"). */
const subjectOf = (change: Change) => change.path ?? change.message;

/** Whether the released schema deprecated the field a removal takes away. */
function wasDeprecated(released: GraphQLSchema, fieldPath: string): boolean {
  const [typeName, fieldName] = fieldPath.split(".");
  const type = released.getType(typeName!);
  if (!type) return false;
  if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) return Boolean(type.getFields()[fieldName!]?.deprecationReason);
  return false;
}

export async function checkContract(files: GateFiles): Promise<GateResult> {
  const [releasedSdl, currentSdl, changelog] = await Promise.all([fs.readFile(files.released, "utf8"), fs.readFile(files.schema, "utf8"), fs.readFile(files.changelog, "utf8")]);
  const released = buildSchema(releasedSdl);
  const changes = await diff(released, buildSchema(currentSdl));
  const breaking = changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking);
  const declared = listItems(unreleasedSection(changelog));
  const problems: string[] = [];
  for (const change of breaking) {
    const subject = subjectOf(change);
    const entry = declared.find((line) => line.includes(`\`${subject}\``));
    if (!entry) problems.push(`${change.message} — not declared: add "- \`${subject}\`: <what changed>. Migration: <what clients do>." under "## Unreleased" in CHANGELOG.md`);
    else if (!/Migration:\s*\S/.test(entry)) problems.push(`${change.message} — its CHANGELOG entry names no migration ("Migration: …")`);
    if (change.type === ChangeType.FieldRemoved && !wasDeprecated(released, subject)) {
      problems.push(`${change.message} — it was not deprecated in the release: deprecate it first (@deprecated(reason:)), remove it in a later major version`);
    }
  }
  return { breaking, problems };
}

async function release(version: string): Promise<void> {
  if (!SEMVER.test(version)) throw new Error(`"${version}" is not a version (major.minor.patch)`);
  const target = path.resolve("schema/released", `${version}.graphql`);
  await fs.copyFile(path.resolve("schema/schema.graphql"), target);
  const changelogFile = path.resolve("CHANGELOG.md");
  const changelog = await fs.readFile(changelogFile, "utf8");
  const day = new Date().toISOString().slice(0, 10);
  await fs.writeFile(changelogFile, changelog.replace(/^## Unreleased\s*$/m, `## Unreleased\n\n## ${version} — ${day}`));
  const sdkPackage = path.resolve("sdk/package.json");
  const pkg = JSON.parse(await fs.readFile(sdkPackage, "utf8")) as { version: string };
  pkg.version = version;
  await fs.writeFile(sdkPackage, `${JSON.stringify(pkg, null, 2)}\n`);
  console.log(`released ${version}: ${path.relative(process.cwd(), target)}, CHANGELOG.md, sdk/package.json (run npm install to update the lockfile)`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [command, argument] = process.argv.slice(2);
  if (command === "release") {
    await release(argument ?? "");
  } else {
    const option = (name: string) => {
      const at = process.argv.indexOf(`--${name}`);
      return at > 0 ? process.argv[at + 1] : undefined;
    };
    const latest = await latestRelease(path.resolve("schema/released"));
    const released = option("released") ?? latest?.file;
    if (!released) throw new Error("no released contract under schema/released");
    const result = await checkContract({
      released,
      schema: option("schema") ?? path.resolve("schema/schema.graphql"),
      changelog: option("changelog") ?? path.resolve("CHANGELOG.md"),
    });
    const against = path.relative(process.cwd(), released);
    if (result.problems.length) {
      console.error(`The schema breaks the released contract (${against}):\n${result.problems.map((p) => `  - ${p}`).join("\n")}`);
      process.exit(1);
    }
    console.log(result.breaking.length ? `${result.breaking.length} breaking change(s) since ${against}, each declared in CHANGELOG.md` : `No breaking changes since ${against}`);
  }
}

// The API contract's gate as CI runs it (`npm run schema:gate`): the current schema breaks nothing
// undeclared since the latest release; a synthetic breaking change fails the gate, naming it, until
// CHANGELOG.md declares it with its migration; a field is removed only after a release deprecated it.
import { expect } from "chai";
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

async function gate(args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "src/scripts/schema-gate.ts", ...args]);
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

const CHANGELOG = (entries: string) =>
  `# Changelog\n\n## Unreleased\n\n### Breaking\n\n${entries}\n\n## 0.1.0 — 2026-12-03\n\n- \`Old.entry\`: ignored, released. Migration: none.\n`;

describe("the API contract's gate", function () {
  this.timeout(60_000);
  let dir: string;
  const file = (name: string) => path.join(dir, name);

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "schema-gate-"));
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  it("passes the committed schema against the latest release", async () => {
    const result = await gate([]);
    expect(result.code, result.output).to.equal(0);
    expect(result.output).to.match(/since schema\/released\/\d+\.\d+\.\d+\.graphql/);
  });

  it("fails on an undeclared breaking change, and on a declaration without its migration; passes once declared", async () => {
    await fs.writeFile(file("released.graphql"), "type Query {\n  firm: Firm\n}\n\ntype Firm {\n  name: String!\n  slug: String\n}\n");
    // A type changed: String → Int.
    await fs.writeFile(file("current.graphql"), "type Query {\n  firm: Firm\n}\n\ntype Firm {\n  name: String!\n  slug: Int\n}\n");
    const args = (changelog: string) => ["--released", file("released.graphql"), "--schema", file("current.graphql"), "--changelog", file(changelog)];

    await fs.writeFile(file("none.md"), CHANGELOG(""));
    const undeclared = await gate(args("none.md"));
    expect(undeclared.code).to.equal(1);
    expect(undeclared.output).to.contain("Firm.slug").and.to.contain("not declared");

    await fs.writeFile(file("no-migration.md"), CHANGELOG("- `Firm.slug`: now a number."));
    const bare = await gate(args("no-migration.md"));
    expect(bare.code).to.equal(1);
    expect(bare.output).to.contain("names no migration");

    await fs.writeFile(file("declared.md"), CHANGELOG("- `Firm.slug`: now a number. Migration: read it as a number."));
    const declared = await gate(args("declared.md"));
    expect(declared.code, declared.output).to.equal(0);
    expect(declared.output).to.contain("1 breaking change(s)");
  });

  it("removes a field only after a release deprecated it, even when declared", async () => {
    await fs.writeFile(file("current.graphql"), "type Query {\n  firm: Firm\n}\n\ntype Firm {\n  name: String!\n}\n");
    await fs.writeFile(file("declared.md"), CHANGELOG("- `Firm.slug`: removed. Migration: use `name`."));
    await fs.writeFile(file("released.graphql"), "type Query {\n  firm: Firm\n}\n\ntype Firm {\n  name: String!\n  slug: String\n}\n");
    const args = ["--released", file("released.graphql"), "--schema", file("current.graphql"), "--changelog", file("declared.md")];
    const early = await gate(args);
    expect(early.code).to.equal(1);
    expect(early.output).to.contain("deprecate it first");

    await fs.writeFile(file("released.graphql"), 'type Query {\n  firm: Firm\n}\n\ntype Firm {\n  name: String!\n  slug: String @deprecated(reason: "Use `name`.")\n}\n');
    const afterDeprecation = await gate(args);
    expect(afterDeprecation.code, afterDeprecation.output).to.equal(0);
  });
});

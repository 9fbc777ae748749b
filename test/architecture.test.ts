// The house rules that keep access decisions in one place and the layers apart, checked on the
// source itself: they fail the moment a resolver writes its own staff check, a lower layer reaches
// up into a module, or two files import each other.
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const SRC = path.resolve(import.meta.dirname, "..", "src");
const LOWER_LAYERS = ["core", "db", "graphql", "events", "jobs", "storage", "mail", "config"];

function sourceFiles(dir = SRC): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith(".ts") ? [full] : [];
  });
}

const relativeTo = (root: string, file: string) => path.relative(root, file).split(path.sep).join("/");
const relative = (file: string) => relativeTo(SRC, file);

/** Relative imports of a file, resolved to files; `runtimeOnly` skips `import type` (erased at run time). */
function importsOf(file: string, runtimeOnly: boolean): string[] {
  const text = fs.readFileSync(file, "utf8");
  const found: string[] = [];
  for (const match of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^;]*?from\s+"(\.[^"]+)"/gms)) {
    if (runtimeOnly && match[2]) continue;
    // `import { type A, type B }` with nothing else is erased too.
    if (
      runtimeOnly &&
      /^\s*import\s+\{([^}]*)\}/.test(match[0]) &&
      match[0]
        .match(/\{([^}]*)\}/)![1]!
        .split(",")
        .every((name) => /^\s*type\s/.test(name) || !name.trim())
    )
      continue;
    found.push(path.resolve(path.dirname(file), match[3]!.replace(/\.js$/, ".ts")));
  }
  // Side-effect imports (`import "./x.js"`) and dynamic ones (`import("./x.js")`) run too.
  for (const match of text.matchAll(/^\s*import\s+"(\.[^"]+)"|\bimport\(\s*"(\.[^"]+)"\s*\)/gm)) {
    found.push(path.resolve(path.dirname(file), (match[1] ?? match[2])!.replace(/\.js$/, ".ts")));
  }
  return found;
}

/** `source` with comments and string contents blanked, so a rule does not fire on prose. */
function code(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
}

/** Where `pattern` appears outside `*.policy.ts` and `src/core/`. */
export function accessRuleViolations(files: Array<{ name: string; text: string }>, pattern: RegExp): string[] {
  return files
    .filter(({ name }) => !name.endsWith(".policy.ts") && !name.startsWith("core/"))
    .flatMap(({ name, text }) =>
      code(text)
        .split("\n")
        .flatMap((line, index) => (pattern.test(line) ? [`${name}:${index + 1}: ${line.trim()}`] : [])),
    );
}

export const ACCESS_RULE = /\bisStaff\(|\bisClient\(|\.type\s*[!=]==\s*"USER"/;

/** Imports (type imports too) from a lower layer into `modules/`, for files under `root`. */
export function layerViolations(files: string[], root = SRC): string[] {
  const rel = (file: string) => relativeTo(root, file);
  return files
    .filter((file) => LOWER_LAYERS.includes(rel(file).split("/")[0]!))
    .flatMap((file) =>
      importsOf(file, false)
        .filter((target) => rel(target).startsWith("modules/"))
        .map((target) => `${rel(file)} imports ${rel(target)}`),
    );
}

/** Import cycles among run-time imports (ESM with decorators fails on them at load time). */
export function importCycles(files: string[]): string[][] {
  const graph = new Map(files.map((file) => [file, importsOf(file, true).filter((target) => graphHas(target))]));
  function graphHas(target: string) {
    return files.includes(target);
  }
  const cycles: string[][] = [];
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, "visiting");
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === "visiting") cycles.push([...stack.slice(stack.indexOf(next)), next].map(relative));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return cycles;
}

describe("architecture", () => {
  const files = sourceFiles();

  it("writes who may see or do what only in *.policy.ts (and src/core/)", () => {
    const violations = accessRuleViolations(
      files.map((file) => ({ name: relative(file), text: fs.readFileSync(file, "utf8") })),
      ACCESS_RULE,
    );
    expect(violations).to.deep.equal([]);
  });

  it("keeps the lower layers free of imports from modules", () => {
    expect(layerViolations(files)).to.deep.equal([]);
  });

  it("has no import cycles", () => {
    expect(importCycles(files)).to.deep.equal([]);
  });

  it("would catch an access rule in a resolver, a lower layer importing a module, and a cycle", () => {
    expect(accessRuleViolations([{ name: "modules/x/x.resolver.ts", text: "if (isStaff(actor)) return;" }], ACCESS_RULE)).to.have.length(1);
    expect(accessRuleViolations([{ name: "modules/x/x.resolver.ts", text: 'const ok = actor.type === "USER";' }], ACCESS_RULE)).to.have.length(1);
    expect(accessRuleViolations([{ name: "modules/x/x.policy.ts", text: "if (isStaff(actor)) return;" }], ACCESS_RULE)).to.deep.equal([]);
    expect(accessRuleViolations([{ name: "modules/x/x.resolver.ts", text: "// isStaff( in a comment" }], ACCESS_RULE)).to.deep.equal([]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portaldesk-arch-"));
    try {
      fs.mkdirSync(path.join(dir, "db"));
      fs.mkdirSync(path.join(dir, "modules"));
      const a = path.join(dir, "modules", "a.ts");
      const b = path.join(dir, "modules", "b.ts");
      const db = path.join(dir, "db", "x.ts");
      fs.writeFileSync(a, 'import { b } from "./b.js";\nexport const a = 1;\n');
      fs.writeFileSync(b, 'import { a } from "./a.js";\nexport const b = 2;\n');
      const sideEffect = path.join(dir, "db", "y.ts");
      fs.writeFileSync(db, 'import { a } from "../modules/a.js";\n');
      fs.writeFileSync(sideEffect, 'import "../modules/b.js";\nconst later = () => import("../modules/a.js");\n');
      expect(importCycles([a, b])).to.have.length(1);
      expect(layerViolations([a, b, db, sideEffect], dir)).to.deep.equal(["db/x.ts imports modules/a.ts", "db/y.ts imports modules/b.ts", "db/y.ts imports modules/a.ts"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// `npm run build`: the SDK (sdk/dist), the web portal (web/dist) and the server (dist/), compiled
// once so a start runs plain JavaScript. `--if-stale` (npm start, npm test) rebuilds only a part
// whose inputs changed since its last build: a warm restart compiles nothing. Names after the
// options pick parts (`sdk web`); none: all three.
//
// A part's fingerprint is the path, size and modification time of each of its inputs, kept in its
// output folder. Where the inputs are absent (a production image ships only what was built), the
// built output is used as it is.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

const PARTS = {
  sdk: { inputs: ["sdk/src", "sdk/tsconfig.json", "sdk/package.json"], output: "sdk/dist", command: ["npm", "run", "build", "-w", "@portaldesk/sdk"] },
  web: { inputs: ["web/src", "web/public", "web/build.mjs", "web/tsconfig.json", "sdk/dist"], output: "web/dist", command: ["node", "web/build.mjs"] },
  server: { inputs: ["src", "migrations", "tsconfig.json", "tsconfig.build.json", "package.json"], output: "dist", command: ["npx", "tsc", "-p", "tsconfig.build.json"] },
};

const STAMP = ".build-fingerprint";

function files(entry) {
  const full = path.join(root, entry);
  if (!existsSync(full)) return [];
  const stat = statSync(full);
  if (!stat.isDirectory()) return [entry];
  return readdirSync(full, { withFileTypes: true })
    .filter((child) => child.name !== STAMP)
    .flatMap((child) => files(path.join(entry, child.name)));
}

function fingerprint(inputs) {
  const hash = createHash("sha256");
  for (const file of inputs.flatMap(files).sort()) {
    const { size, mtimeMs } = statSync(path.join(root, file));
    hash.update(`${file}\0${size}\0${mtimeMs}\n`);
  }
  return hash.digest("hex");
}

const args = process.argv.slice(2);
const ifStale = args.includes("--if-stale");
const chosen = args.filter((arg) => !arg.startsWith("--"));
for (const name of chosen) if (!(name in PARTS)) throw new Error(`unknown part "${name}": one of ${Object.keys(PARTS).join(", ")}`);

for (const [name, part] of Object.entries(PARTS)) {
  if (chosen.length > 0 && !chosen.includes(name)) continue;
  const stampFile = path.join(root, part.output, STAMP);
  const sourcesHere = existsSync(path.join(root, part.inputs[0]));
  if (ifStale && !sourcesHere && existsSync(path.join(root, part.output))) continue; // prebuilt
  const current = fingerprint(part.inputs);
  if (ifStale && existsSync(stampFile) && readFileSync(stampFile, "utf8") === current) continue;
  const started = Date.now();
  const run = spawnSync(part.command[0], part.command.slice(1), { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  if (run.status !== 0) {
    process.stderr.write(`building ${name} failed (${part.command.join(" ")})\n`);
    process.exit(run.status ?? 1);
  }
  // Taken after the build: a part whose inputs include another's output (web: sdk/dist) sees it as built.
  writeFileSync(stampFile, fingerprint(part.inputs));
  process.stderr.write(`built ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

// Builds the web portal into web/dist: one bundled, minified script (esbuild), the stylesheet and the
// icon, each under a name carrying a hash of its content (dist/assets/), so they can be cached for
// ever; index.html, written from web/public/index.html, names them and is the one file revalidated.
// Source maps are written beside the script without a sourceMappingURL comment: the server points to
// them with a SourceMap header outside production only. No CDN at run time.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";

const root = path.dirname(new URL(import.meta.url).pathname);
const dist = path.join(root, "dist");
const assets = path.join(dist, "assets");
await rm(dist, { recursive: true, force: true });
await mkdir(assets, { recursive: true });

const bundled = await build({
  entryPoints: { app: path.join(root, "src/main.tsx") },
  bundle: true,
  minify: true,
  sourcemap: "external",
  format: "esm",
  target: ["es2022"],
  jsx: "automatic",
  jsxImportSource: "preact",
  outdir: assets,
  entryNames: "[name]-[hash]",
  metafile: true,
  logLevel: "warning",
  legalComments: "none",
});
const script = Object.keys(bundled.metafile.outputs).find((file) => file.endsWith(".js"));

/** Copies a static file into assets/ under its content hash; returns its public path. */
async function hashed(file) {
  const content = await readFile(path.join(root, "public", file));
  const hash = createHash("sha256").update(content).digest("base64url").slice(0, 10);
  const { name, ext } = path.parse(file);
  await writeFile(path.join(assets, `${name}-${hash}${ext}`), content);
  return `/assets/${name}-${hash}${ext}`;
}

const names = {
  "/app.js": `/assets/${path.basename(script)}`,
  "/styles.css": await hashed("styles.css"),
  "/favicon.svg": await hashed("favicon.svg"),
};
let page = await readFile(path.join(root, "public/index.html"), "utf8");
for (const [plain, withHash] of Object.entries(names)) {
  if (!page.includes(`"${plain}"`)) throw new Error(`web/public/index.html does not name ${plain}`);
  page = page.replaceAll(`"${plain}"`, `"${withHash}"`);
}
await writeFile(path.join(dist, "index.html"), page);

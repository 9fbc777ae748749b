// Builds the web portal into web/dist: one bundled, minified script (esbuild) and the static files.
// No CDN at run time: everything the page needs is served by PortalDesk itself.
import { build } from "esbuild";
import { cp, mkdir, rm } from "node:fs/promises";

const root = new URL("./", import.meta.url);
const dist = new URL("dist/", root);
await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
await build({
  entryPoints: [new URL("src/main.tsx", root).pathname],
  bundle: true,
  minify: true,
  sourcemap: true,
  format: "esm",
  target: ["es2022"],
  jsx: "automatic",
  jsxImportSource: "preact",
  outfile: new URL("app.js", dist).pathname,
  logLevel: "warning",
  legalComments: "none",
});
await cp(new URL("public/", root), dist, { recursive: true });

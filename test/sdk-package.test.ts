// The SDK as someone outside this repository gets it: `npm pack`ed, installed from the tarball into
// a fresh project beside graphql 16.8 (not the 16.15 this repository uses), the README's example run
// there as written, and a browser bundle of sign-in plus one query built with esbuild, weighed, and
// run in Chromium against a real server.
import { expect } from "chai";
import { build } from "esbuild";
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";
import type { Browser } from "puppeteer-core";
import { seedDemoData } from "../src/scripts/demo-data.js";
import { launchBrowser } from "./support/browser.js";
import { TestEnv } from "./support/harness.js";

const run = promisify(execFile);
const npm = (args: string[], cwd: string) =>
  run("npm", args, { cwd, env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" } });
const DEMO_PASSWORD = "demo password 123";

/** The README's SDK example, exactly as the README shows it. */
async function readmeSnippet(): Promise<string> {
  const readme = await fs.readFile("README.md", "utf8");
  const section = readme.slice(readme.indexOf("## The SDK"));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error("README.md has no SDK example");
  return match[1]!;
}

describe("the SDK as a package", function () {
  this.timeout(300_000);
  let env: TestEnv;
  let project: string;
  let browser: Browser | undefined;

  before(async () => {
    env = await TestEnv.create();
    await seedDemoData(env.server.services, DEMO_PASSWORD);
    project = await fs.mkdtemp(path.join(os.tmpdir(), "sdk-consumer-"));
    const { stdout } = await npm(["pack", "--workspace", "@portaldesk/sdk", "--pack-destination", project, "--json"], process.cwd());
    const [{ filename }] = JSON.parse(stdout) as Array<{ filename: string }>;
    await fs.writeFile(
      path.join(project, "package.json"),
      JSON.stringify({ name: "sdk-consumer", private: true, type: "module", dependencies: { "@portaldesk/sdk": `file:./${filename}`, graphql: "16.8.1", ws: "8.23.0" } }, null, 2),
    );
    await npm(["install", "--no-package-lock", "--ignore-scripts"], project);
  });
  after(async () => {
    await browser?.close();
    await env?.close();
    if (project) await fs.rm(project, { recursive: true, force: true });
  });

  it("installs beside graphql 16.8 with its licence, changelog and types", async () => {
    const installed = path.join(project, "node_modules");
    expect(JSON.parse(await fs.readFile(path.join(installed, "graphql", "package.json"), "utf8")).version).to.equal("16.8.1");
    const sdk = path.join(installed, "@portaldesk", "sdk");
    const manifest = JSON.parse(await fs.readFile(path.join(sdk, "package.json"), "utf8")) as { license: string; sideEffects: boolean; peerDependencies: Record<string, string> };
    expect(manifest).to.deep.include({ license: "MIT", sideEffects: false });
    expect(manifest.peerDependencies.graphql).to.equal("^16.8.0");
    for (const file of ["LICENSE", "CHANGELOG.md", "README.md", "dist/index.js", "dist/index.d.ts", "dist/node.js"]) await fs.access(path.join(sdk, file));
    // Nothing of the repository's own sources or tests in the tarball.
    expect(await fs.readdir(sdk)).to.have.members(["LICENSE", "CHANGELOG.md", "README.md", "dist", "package.json"]);
  });

  it("runs the README's example as written, in Node", async () => {
    await fs.writeFile(path.join(project, "readme-example.mjs"), await readmeSnippet());
    const { stdout } = await run(process.execPath, ["readme-example.mjs"], {
      cwd: project,
      env: { ...process.env, PORTALDESK_URL: `${env.server.url}/graphql`, PORTALDESK_PASSWORD: DEMO_PASSWORD },
    });
    expect(stdout.trim().split("\n")).to.deep.equal(["Bakkerij De Demo B.V."]);
  });

  it("bundles sign-in plus one query for the browser under 15 kB gzipped, and runs there", async () => {
    await fs.writeFile(
      path.join(project, "browser-entry.js"),
      `import { createClient, SignInDocument, ViewerDocument, unwrap } from "@portaldesk/sdk";
window.whoAmI = async (url, email, password) => {
  const { signIn } = await createClient({ url }).request(SignInDocument, { input: { email, password } });
  const client = createClient({ url, token: unwrap(signIn).token });
  return (await client.request(ViewerDocument)).viewer.email;
};
`,
    );
    const result = await build({
      absWorkingDir: project,
      entryPoints: ["browser-entry.js"],
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      write: false,
      metafile: true,
    });
    const code = result.outputFiles[0]!.text;
    const gzipped = zlib.gzipSync(code, { level: 9 }).length;
    console.log(`      browser bundle (sign-in + viewer): ${(code.length / 1024).toFixed(1)} kB, ${(gzipped / 1024).toFixed(1)} kB gzipped`);
    expect(gzipped).to.be.below(15 * 1024);
    // graphql itself (its printer, parser) stays out: the documents are strings.
    const output = Object.values(result.metafile.outputs)[0]!;
    const fromGraphql = Object.entries(output.inputs).filter(([input, { bytesInOutput }]) => input.includes("node_modules/graphql/") && bytesInOutput > 0);
    expect(fromGraphql.map(([input]) => input)).to.deep.equal([]);

    browser = await launchBrowser();
    const page = await browser.newPage();
    // The bundle is put into the page inline, which the portal's Content-Security-Policy refuses
    // (as it should); what is tested here is the bundle, so the policy is set aside for this page.
    await page.setBypassCSP(true);
    await page.goto(env.server.url);
    await page.addScriptTag({ content: code, type: "module" });
    await page.waitForFunction(() => typeof (window as unknown as { whoAmI?: unknown }).whoAmI === "function");
    const email = await page.evaluate(
      (url, password) => (window as unknown as { whoAmI: (u: string, e: string, p: string) => Promise<string> }).whoAmI(url, "client@demo.test", password),
      `${env.server.url}/graphql`,
      DEMO_PASSWORD,
    );
    expect(email).to.equal("client@demo.test");
  });
});

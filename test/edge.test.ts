// What every response carries at the edge: security headers, compression, and CORS for the
// origins CORS_ORIGINS allows — the last shown in a real browser, from a page on another origin.
import { expect } from "chai";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import path from "node:path";
import zlib from "node:zlib";
import type { Browser } from "puppeteer-core";
import express from "express";
import { loadConfig } from "../src/config/config.js";
import { PROJECT_ROOT } from "../src/config/project-root.js";
import { webPortalRoutes } from "../src/server/web-portal.js";
import { launchBrowser } from "./support/browser.js";
import { TestEnv, type World } from "./support/harness.js";
import { sessionToken } from "./support/raw-http.js";

/** A page on its own origin (another port of loopback) that calls the API the way a frontend team's portal would. */
async function otherOrigin(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>elsewhere</title>"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The portal's asset paths as its index.html names them (content-hashed by web/build.mjs). */
async function portalAssets(base: string): Promise<{ script: string; styles: string; icon: string }> {
  const page = await (await fetch(`${base}/`)).text();
  const named = (pattern: RegExp) => pattern.exec(page)?.[1] ?? "";
  return {
    script: named(/<script type="module" src="([^"]+)"/),
    styles: named(/<link rel="stylesheet" href="([^"]+)"/),
    icon: named(/<link rel="icon" href="([^"]+)"/),
  };
}

async function listen(app: express.Express): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Sends `request` with a raw node:http client (fetch would decompress and hide the encoding). */
function get(url: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: body === undefined ? "GET" : "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("at the edge: security headers, compression, CORS", function () {
  this.timeout(90_000);
  let env: TestEnv;
  let world: World;
  let allowed: Awaited<ReturnType<typeof otherOrigin>>;
  let stranger: Awaited<ReturnType<typeof otherOrigin>>;
  let browser: Browser;

  before(async () => {
    allowed = await otherOrigin();
    stranger = await otherOrigin();
    env = await TestEnv.create({ CORS_ORIGINS: `${allowed.origin}, https://app.example.nl` });
    world = await env.createWorld({ administrations: 1 });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await env?.close();
    await allowed?.close();
    await stranger?.close();
  });

  it("sends the security headers on the portal, the API and the health routes", async () => {
    const { script } = await portalAssets(env.server.url);
    for (const route of ["/", script, "/graphql?query=%7B__typename%7D", "/healthz", "/no-such-route"]) {
      const answer = await fetch(`${env.server.url}${route}`, { headers: { "apollo-require-preflight": "1" } });
      const csp = answer.headers.get("content-security-policy") ?? "";
      if (answer.status === 404) {
        expect(csp, route).to.equal("default-src 'none'"); // Express's own not-found page: stricter still
      } else {
        expect(csp, route).to.contain("frame-ancestors 'none'");
        expect(csp, route).to.contain("script-src 'self'");
        expect(csp, route).to.contain("object-src 'none'");
        expect(csp, route).not.to.contain("unsafe-inline");
      }
      expect(answer.headers.get("x-content-type-options"), route).to.equal("nosniff");
      expect(answer.headers.get("referrer-policy"), route).to.equal("no-referrer");
      expect(answer.headers.get("x-frame-options"), route).to.equal("DENY");
      expect(answer.headers.get("cross-origin-resource-policy"), route).to.equal("same-origin");
      expect(answer.headers.get("strict-transport-security"), route).to.match(/max-age=\d+/);
      expect(answer.headers.has("x-powered-by"), route).to.equal(false);
    }
  });

  it("compresses JSON and the portal's assets with brotli or gzip, as the client accepts", async () => {
    const query = JSON.stringify({ query: "{ __schema { types { name description } } }" });
    const plain = await get(`${env.server.url}/graphql`, { "content-type": "application/json" }, query);
    expect(plain.headers["content-encoding"]).to.equal(undefined);
    const types = (JSON.parse(plain.body.toString()) as { data: { __schema: { types: unknown[] } } }).data.__schema.types;
    expect(types.length).to.be.greaterThan(50);

    const brotli = await get(`${env.server.url}/graphql`, { "content-type": "application/json", "accept-encoding": "br, gzip" }, query);
    expect(brotli.headers["content-encoding"]).to.equal("br");
    expect(brotli.headers.vary).to.match(/accept-encoding/i);
    const unpacked = await promisify(zlib.brotliDecompress)(brotli.body);
    expect(JSON.parse(unpacked.toString())).to.deep.equal(JSON.parse(plain.body.toString()));
    expect(brotli.body.length).to.be.lessThan(plain.body.length / 3);

    const script = await get(`${env.server.url}${(await portalAssets(env.server.url)).script}`, { "accept-encoding": "gzip" });
    expect(script.headers["content-encoding"]).to.equal("gzip");
    expect((await promisify(zlib.gunzip)(script.body)).toString()).to.contain("PortalDesk");

    // Small answers are not worth it.
    const small = await get(`${env.server.url}/healthz`, { "accept-encoding": "br, gzip" });
    expect(small.headers["content-encoding"]).to.equal(undefined);
  });

  it("serves the portal's assets under content-hashed names, cached for a year; the page itself is revalidated", async () => {
    const assets = await portalAssets(env.server.url);
    expect(assets.script).to.match(/^\/assets\/app-[A-Z0-9]{8}\.js$/);
    expect(assets.styles).to.match(/^\/assets\/styles-[\w-]{10}\.css$/);
    expect(assets.icon).to.match(/^\/assets\/favicon-[\w-]{10}\.svg$/);
    for (const [asset, type] of [
      [assets.script, "text/javascript"],
      [assets.styles, "text/css"],
      [assets.icon, "image/svg+xml"],
    ] as const) {
      const answer = await fetch(`${env.server.url}${asset}`);
      expect(answer.status, asset).to.equal(200);
      expect(answer.headers.get("content-type"), asset).to.contain(type);
      expect(answer.headers.get("cache-control"), asset).to.equal("public, max-age=31536000, immutable");
    }
    for (const page of ["/", "/index.html"]) {
      const answer = await fetch(`${env.server.url}${page}`);
      expect(answer.headers.get("cache-control"), page).to.equal("no-cache");
      // (raw: fetch adds cache-control: no-cache to a conditional request, which forbids the 304)
      const again = await get(`${env.server.url}${page}`, { "if-none-match": answer.headers.get("etag")! });
      expect(again.status, page).to.equal(304);
    }
    // A page of an older release asking for its script gets a plain 404, not the portal's page.
    const gone = await fetch(`${env.server.url}/assets/app-OLDRELEA.js`);
    expect(gone.status).to.equal(404);
    expect(gone.headers.get("cache-control")).to.equal(null);
    // The old unhashed names are no longer there.
    expect((await fetch(`${env.server.url}/app.js`)).status).to.equal(404);
  });

  it("names the script's source map outside production, and never serves a map in production", async () => {
    const { script } = await portalAssets(env.server.url);
    const here = await fetch(`${env.server.url}${script}`);
    expect(await here.text()).not.to.contain("sourceMappingURL"); // only the header says where the map is
    expect(here.headers.get("sourcemap")).to.equal(`${script}.map`);
    const map = (await (await fetch(`${env.server.url}${script}.map`)).json()) as { sources: string[] };
    expect(map.sources.some((source) => source.endsWith("/src/main.tsx"))).to.equal(true);

    const production = await listen(express().use(webPortalRoutes(path.join(PROJECT_ROOT, "web", "dist"), { production: true })));
    try {
      const served = await fetch(`${production.url}${script}`);
      expect(served.status).to.equal(200);
      expect(served.headers.has("sourcemap")).to.equal(false);
      expect((await fetch(`${production.url}${script}.map`)).status).to.equal(404);
      expect((await fetch(`${production.url}${script}.MAP`)).status).to.equal(404);
    } finally {
      await production.close();
    }
  });

  it("answers an allowed origin's preflight and requests, and gives any other origin no CORS header", async () => {
    const preflight = await fetch(`${env.server.url}/graphql`, {
      method: "OPTIONS",
      headers: { origin: "https://app.example.nl", "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" },
    });
    expect(preflight.status).to.equal(204);
    expect(preflight.headers.get("access-control-allow-origin")).to.equal("https://app.example.nl");
    expect(preflight.headers.get("access-control-allow-headers")).to.contain("authorization");
    expect(preflight.headers.get("access-control-allow-methods")).to.contain("POST");
    expect(preflight.headers.get("access-control-max-age")).to.equal("600");
    expect(preflight.headers.has("access-control-allow-credentials")).to.equal(false); // tokens, never cookies

    const strangerPreflight = await fetch(`${env.server.url}/graphql`, {
      method: "OPTIONS",
      headers: { origin: stranger.origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" },
    });
    expect(strangerPreflight.status).to.equal(204);
    expect(strangerPreflight.headers.has("access-control-allow-origin")).to.equal(false);

    const request = await fetch(`${env.server.url}/graphql`, {
      method: "POST",
      headers: { origin: "https://app.example.nl", "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(request.status).to.equal(200);
    expect(request.headers.get("access-control-allow-origin")).to.equal("https://app.example.nl");
    expect(request.headers.get("access-control-expose-headers")).to.contain("x-request-id");
    expect(request.headers.get("vary")).to.match(/origin/i);
  });

  it("lets a page on an allowed origin use the API from a browser, and a page elsewhere not", async () => {
    const token = await sessionToken(env.server.url, world.clients[0]!.email);
    const callFrom = async (origin: string) => {
      const tab = await (await browser.createBrowserContext()).newPage();
      await tab.goto(origin);
      return tab.evaluate(
        async (api, bearer) => {
          try {
            const answer = await fetch(`${api}/graphql`, {
              method: "POST",
              headers: { "content-type": "application/json", authorization: `Bearer ${bearer}` },
              body: JSON.stringify({ query: "{ viewer { email } }" }),
            });
            return { status: answer.status, body: (await answer.json()) as unknown, requestId: answer.headers.get("x-request-id") };
          } catch (error) {
            return { refused: String(error) };
          }
        },
        env.server.url,
        token,
      );
    };
    const fromAllowed = await callFrom(allowed.origin);
    expect(fromAllowed).to.have.property("status", 200);
    expect((fromAllowed as { body: { data: unknown } }).body.data).to.deep.equal({ viewer: { email: world.clients[0]!.email } });
    expect((fromAllowed as { requestId: string }).requestId).to.match(/^[0-9a-f-]{36}$/);
    const fromStranger = await callFrom(stranger.origin);
    expect(fromStranger).to.have.property("refused").that.contains("Failed to fetch");
  });

  it("refuses a CORS_ORIGINS entry that is not an origin, naming it", () => {
    expect(loadConfig({ CORS_ORIGINS: "https://a.example.nl, *" }).corsOrigins).to.deep.equal(["https://a.example.nl", "*"]);
    expect(loadConfig({ CORS_ORIGINS: "HTTPS://A.example.nl/" }).corsOrigins).to.deep.equal(["https://a.example.nl"]);
    for (const wrong of ["https://a.example.nl/portal", "a.example.nl", "ftp://a.example.nl"]) {
      expect(() => loadConfig({ CORS_ORIGINS: wrong }), wrong).to.throw(`CORS_ORIGINS: "${wrong}" is not an origin`);
    }
  });
});

// One PortalDesk server instance: database, event bus, HTTP + WebSocket on one port.
import { startMailIntake } from "../modules/mail-in/mail-intake.js";
import { expressMiddleware } from "@as-integrations/express5";
import express, { type ErrorRequestHandler } from "express";
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { PROJECT_ROOT } from "../config/project-root.js";
import { pinoHttp } from "pino-http";
import { migrationsApplied } from "../db/data-source.js";
import { withQueryStats } from "../db/query-stats.js";
import { guardRequest } from "../graphql/request-guard.js";
import { getSchema } from "../graphql/schema.js";
import { resolvers } from "../modules/index.js";
import { fileRoutes } from "./file-routes.js";
import { brandingRoutes } from "./branding-routes.js";
import type { Services } from "../services.js";
import type { Config } from "../config/config.js";
import { trustProxy } from "./client-address.js";
import { openRuntime } from "./runtime.js";
import { createApollo, httpContext } from "./graphql-http.js";
import { attachSubscriptions } from "./graphql-ws.js";
import { multipartUploads } from "./multipart.js";
import { createLogger, type Logger } from "./logger.js";
import { Metrics, metricsAllowed } from "./metrics.js";
import { webPortalRoutes } from "./web-portal.js";
import { compressResponses, corsAllowlist, crossOrigin, securityHeaders } from "./edge.js";

const WEB_DIST = path.join(PROJECT_ROOT, "web", "dist");

export interface PortalDesk {
  /** Base URL, e.g. http://127.0.0.1:4000 */
  url: string;
  port: number;
  services: Services;
  logger: Logger;
  /** Whether this instance runs the embedded database. */
  embedded: boolean;
  /** The port of the SMTP intake (MAIL_IN), or null. */
  mailInPort: number | null;
  /** /readyz says ready from now on (with `deferReadiness`: once the caller's own start-up is done too). */
  markReady(): void;
  /** Drains HTTP, closes WebSockets, the bus and the pool, stops the embedded database. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Use this logger instead of one made from the config (tests). */
  logger?: Logger;
  /** Aborted (a signal during start-up): what was opened is closed again and the start rejects with an AbortError. */
  signal?: AbortSignal;
  /** /readyz answers "starting" until markReady() (`npm start` seeds demo data and installs its handlers first). */
  deferReadiness?: boolean;
}

type Readiness = "starting" | "ready" | "stopping";

export async function startPortalDesk(config: Config, options: StartOptions = {}): Promise<PortalDesk> {
  const logger = options.logger ?? createLogger(config);
  const { signal } = options;
  const runtime = await openRuntime(config, logger, { signal });
  const { services, embedded } = runtime;
  let readiness: Readiness = "starting";
  const { dataSource } = services;
  const schema = await getSchema(resolvers);

  const app = express();
  app.disable("x-powered-by");
  // req.ip follows TRUST_PROXY (src/server/client-address.ts); the WebSocket side reads the same rule.
  app.set("trust proxy", trustProxy(config.trustProxy));
  const httpServer = http.createServer(app);
  const subscriptions = attachSubscriptions({ schema, services, httpServer, logger });
  const pool = (dataSource.driver as unknown as { master: { totalCount: number; idleCount: number; waitingCount: number } }).master;
  const metrics = new Metrics({
    subscriptions: () => services.bus.subscriptions,
    webSockets: () => subscriptions.wsServer.clients.size,
    pool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    jobs: () => services.jobs.counts(),
  });
  const apollo = createApollo({ schema, services, httpServer, logger, metrics, plugins: [subscriptions.plugin] });
  await apollo.start();
  /** Closes what start-up opened so far (the embedded database too): a failed or aborted start. */
  const closeOpened = async () => {
    await apollo.stop();
    metrics.close();
    await runtime.close();
  };
  // Told to stop while starting: close what is open and say so.
  const unlessAborted = async () => {
    if (!signal?.aborted) return;
    await closeOpened();
    signal.throwIfAborted();
  };
  await unlessAborted();

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const given = req.headers["x-request-id"];
        const id = typeof given === "string" && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
        res.setHeader("x-request-id", id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === "/healthz" || req.url === "/readyz" || req.url === "/metrics" },
      // No headers (a megabyte in half an hour of clicking, and tokens), no query string (signed links
      // carry their signature there); the GraphQL operation's name, once the body is read.
      serializers: {
        req: (req: { id: unknown; method: string; url: string; remoteAddress: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split("?")[0],
          remoteAddress: req.remoteAddress,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customProps: (req) => {
        const name = (req as { body?: { operationName?: unknown } }).body?.operationName;
        return typeof name === "string" && /^\w{1,100}$/.test(name) ? { operation: name } : {};
      },
    }),
  );
  app.use(securityHeaders(), compressResponses());
  const cors = corsAllowlist(config.corsOrigins);
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    if (readiness !== "ready") {
      res.status(503).json({ status: readiness });
      return;
    }
    try {
      await dataSource.query("SELECT 1");
      if (!(await migrationsApplied(dataSource))) {
        res.status(503).json({ status: "migrations pending" });
        return;
      }
      res.json({ status: "ready" });
    } catch {
      res.status(503).json({ status: "database unreachable" });
    }
  });
  // Metrics tell a lot about the service: with METRICS_TOKEN they need it, without they answer only on loopback.
  app.get("/metrics", async (req, res) => {
    if (!metricsAllowed(config.metricsToken, req.headers, req.socket.remoteAddress)) {
      res
        .status(config.metricsToken ? 401 : 403)
        .type("text/plain")
        .send(config.metricsToken ? "Send the metrics token as a bearer token\n" : "Metrics answer on loopback only (or set METRICS_TOKEN)\n");
      return;
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.use(
    "/graphql",
    ...cors,
    multipartUploads({ maxFileSize: config.uploads.maxFileSize, maxFiles: config.uploads.maxFiles }),
    express.json({ limit: "1mb", type: ["application/json", "application/graphql-response+json"] }),
    // Unsafe text and oversized documents are refused before Apollo parses and validates them.
    (req, res, next) => {
      const refused = guardRequest((req.method === "GET" ? req.query : req.body) ?? {}, config.graphql, !req.headers.authorization);
      if (!refused) return next();
      res.status(400).json({ errors: [{ message: refused.message, extensions: { code: refused.extensions.code } }] });
    },
    // Counts this request's SQL statements (after body parsing, whose callbacks lose async context),
    // only when asked for: the async context it needs costs every request.
    (_req, _res, next) => (config.countStatements ? withQueryStats({ statements: 0 }, next) : next()),
    expressMiddleware(apollo, { context: ({ req }) => httpContext(services, req) }),
  );
  app.use("/files", ...cors, crossOrigin, fileRoutes(services));
  app.use("/branding", crossOrigin, brandingRoutes(services));
  app.use(webPortalRoutes(WEB_DIST, { production: config.nodeEnv === "production" }));
  // Malformed bodies and other request errors: a GraphQL-shaped JSON error, never a stack trace.
  const onError: ErrorRequestHandler = (error: { status?: number; statusCode?: number; type?: string; message?: string }, req, res, _next) => {
    const status = error.status ?? error.statusCode ?? 500;
    if (status >= 500) req.log?.error({ err: error }, "request failed");
    const message =
      error.type === "entity.parse.failed"
        ? "The request body is not valid JSON"
        : error.type === "entity.too.large"
          ? "The request body is too large"
          : status < 500
            ? (error.message ?? "Bad request")
            : "Internal server error";
    res.status(status).json({ errors: [{ message, extensions: { code: status < 500 ? "BAD_REQUEST" : "INTERNAL" } }] });
  };
  app.use(onError);

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
  const baseUrl = `http://${host}:${address.port}`;
  if (!config.publicUrlGiven) services.publicUrl = baseUrl;
  const mailIntake = config.mailIn
    ? await startMailIntake(services, config.mailIn, (level, message, extra) => logger[level]({ component: "mail-in", ...extra }, message)).catch(async (error: unknown) => {
        // The demo's intake is a convenience: without its port the demo still starts.
        if (!config.mailIn!.required) {
          logger.warn({ component: "mail-in", error: String(error) }, "mail intake not started (set MAIL_IN_PORT, or MAIL_IN=false)");
          return null;
        }
        // Asked for, it is not served half: a taken port stops the start, and what was opened is closed.
        await closeOpened();
        throw error;
      })
    : null;
  if (signal?.aborted) await mailIntake?.stop();
  await unlessAborted();
  logger.info({ url: baseUrl, database: embedded ? "embedded" : "external", mail: services.mailer.destination, mailIn: mailIntake?.port ?? null }, "PortalDesk is listening");
  if (!options.deferReadiness) readiness = "ready";

  let stopping: Promise<void> | null = null;
  return {
    url: baseUrl,
    port: address.port,
    services,
    logger,
    embedded: Boolean(embedded),
    mailInPort: mailIntake?.port ?? null,
    markReady() {
      if (readiness === "starting") readiness = "ready";
    },
    stop() {
      readiness = "stopping"; // load balancers take this instance out while it drains
      stopping ??= (async () => {
        await mailIntake?.stop();
        await apollo.stop(); // drains HTTP and closes the WebSocket server (plugins)
        metrics.close();
        await runtime.close();
        logger.info("PortalDesk stopped");
      })();
      return stopping;
    },
  };
}

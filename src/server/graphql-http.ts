// Apollo Server over HTTP at /graphql: context from the bearer token, error shaping, limits.
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { SpanStatusCode, trace } from "@opentelemetry/api";
import { unwrapResolverError } from "@apollo/server/errors";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from "@apollo/server/plugin/disabled";
import { costLimitRule } from "@escape.tech/graphql-armor-cost-limit";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { GraphQLError, type GraphQLSchema, NoSchemaIntrospectionCustomRule, type ValidationContext } from "graphql";
import type http from "node:http";
import { actorKey, type Viewer } from "../core/actor.js";
import { UnauthenticatedError } from "../core/errors.js";
import { currentQueryStats } from "../db/query-stats.js";
import { COST_WEIGHTS, queryCost } from "../graphql/query-cost.js";
import { createContext, type GraphQLContext } from "../graphql/context.js";
import { formatError, isUnexpected, rateLimitedError, toGraphQLError } from "../graphql/errors.js";
import { assertTokenMayRun } from "../graphql/scope-check.js";
import type { Services } from "../services.js";
import type { Logger } from "./logger.js";
import { type Metrics, operationLabel } from "./metrics.js";

const tracer = trace.getTracer("portaldesk");

/**
 * Report a limit as an ordinary validation error (HTTP 400, GRAPHQL_VALIDATION_FAILED) instead of
 * graphql-armor's default of throwing, which Apollo would turn into a 500.
 */
const asValidationError = {
  propagateOnRejection: false,
  exposeLimits: true,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, "")))],
};

/** The validation rules bounding depth, cost and aliases (graphql-armor), and introspection when it is off. */
export function limitRules(limits: Services["config"]["graphql"]) {
  return [
    maxDepthRule({ n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true, ...asValidationError }),
    // Every alias counts, `__typename` too (armor lets those through by default).
    maxAliasesRule({ n: limits.maxAliases, allowList: [], ...asValidationError }),
    costLimitRule({ maxCost: limits.maxCost, ...COST_WEIGHTS, ...asValidationError }),
    ...(limits.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
  ];
}

/** The viewer a bearer Authorization header stands for (anonymous without one), and until when. */
export async function credentialFromAuthorization(services: Services, header: string | undefined | null): Promise<{ viewer: Viewer; expiresAt: Date | null }> {
  if (!header) return { viewer: { type: "ANONYMOUS" }, expiresAt: null };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new UnauthenticatedError("The Authorization header must be `Bearer <token>`");
  const { actor, expiresAt } = await services.auth.credential(match[1]!);
  return { viewer: actor, expiresAt };
}

export interface GraphQLHttpOptions {
  schema: GraphQLSchema;
  services: Services;
  httpServer: http.Server;
  logger: Logger;
  metrics: Metrics;
  /** Extra plugins (e.g. the WebSocket server's cleanup). */
  plugins: ApolloServerPlugin<GraphQLContext>[];
}

export function createApollo(options: GraphQLHttpOptions): ApolloServer<GraphQLContext> {
  const { services, logger } = options;
  const exposeStats = services.config.exposeQueryStats;
  const statsPlugin: ApolloServerPlugin<GraphQLContext> = {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          const stats = currentQueryStats();
          if (exposeStats && stats && response.body.kind === "single") {
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, sqlStatements: stats.statements };
          }
        },
      };
    },
  };
  // A span per operation (within the HTTP request's, when tracing is on), named by its root field.
  const operationSpans: ApolloServerPlugin<GraphQLContext> = {
    async requestDidStart() {
      const span = tracer.startSpan("graphql");
      return {
        async didResolveOperation({ operation, operationName }) {
          if (!operation) return;
          span.updateName(`graphql ${operation.operation} ${operationLabel(operation)}`);
          span.setAttribute("graphql.operation.type", operation.operation);
          if (operationName) span.setAttribute("graphql.operation.name", operationName);
        },
        async willSendResponse({ errors }) {
          if (errors?.length) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        },
      };
    },
  };
  // Unexpected errors are logged here, where the request's id and operation are known.
  const logUnexpected: ApolloServerPlugin<GraphQLContext> = {
    async requestDidStart({ contextValue }) {
      return {
        async didEncounterErrors({ errors, operationName }) {
          for (const error of errors.filter(isUnexpected)) {
            logger.error({ err: unwrapResolverError(error), reqId: contextValue.requestId, operation: operationName ?? undefined }, "unexpected error in a GraphQL request");
          }
        },
      };
    },
  };
  // Apollo would run a subscription over HTTP as a query, without an event to resolve.
  const subscriptionsOverWebSocket: ApolloServerPlugin<GraphQLContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation === "subscription") {
            throw new GraphQLError("Subscriptions run over WebSocket (graphql-transport-ws) at /graphql, not over HTTP", {
              extensions: { code: "BAD_REQUEST", http: { status: 400 } },
            });
          }
        },
      };
    },
  };
  // Each operation takes its query cost from the viewer's and the address's budgets (request-limits.ts).
  const rateLimits: ApolloServerPlugin<GraphQLContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, contextValue, schema }) {
          const viewer = contextValue.viewer;
          if (viewer.type === "API_TOKEN") {
            try {
              assertTokenMayRun(viewer, schema, document, services.scopeRules);
            } catch (error) {
              throw toGraphQLError(error as Error, 403);
            }
          }
          // The cost is counted only when there are budgets to take it from (off in tests and benches).
          if (!services.requestLimits.settings.enabled) return;
          const wait = await services.requestLimits.take(viewer.type === "ANONYMOUS" ? null : actorKey(viewer), contextValue.address, queryCost(schema, document));
          if (wait) throw rateLimitedError(wait);
        },
      };
    },
  };
  return new ApolloServer<GraphQLContext>({
    schema: options.schema,
    introspection: services.config.graphql.introspection,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    validationRules: limitRules(services.config.graphql),
    parseOptions: { maxTokens: services.config.graphql.maxTokens },
    formatError: formatError(),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: options.httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // Apollo would hook every resolved field for cache hints (no HTTP cache uses them here).
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      options.metrics.plugin() as ApolloServerPlugin<GraphQLContext>,
      statsPlugin,
      logUnexpected,
      operationSpans,
      subscriptionsOverWebSocket,
      rateLimits,
      ...options.plugins,
    ],
  });
}

/** Builds the per-request context; a bad token is a 401 UNAUTHENTICATED for the whole request. */
export async function httpContext(services: Services, req: http.IncomingMessage & { id?: unknown; ip?: string; log?: Logger }): Promise<GraphQLContext> {
  let viewer: Viewer;
  try {
    viewer = (await credentialFromAuthorization(services, req.headers.authorization)).viewer;
  } catch (error) {
    if (error instanceof UnauthenticatedError) throw toGraphQLError(error, 401);
    if (!(error instanceof GraphQLError)) req.log?.error({ err: error }, "the request's credential could not be checked");
    throw error instanceof GraphQLError ? error : toGraphQLError(error as Error, 500);
  }
  return createContext(
    services,
    viewer,
    String(req.id ?? ""),
    req.ip ?? req.socket.remoteAddress ?? "unknown",
    req.headers["user-agent"] ?? null,
    req.headers["accept-language"] ?? null,
  );
}

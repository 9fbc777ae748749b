// Subscriptions over graphql-ws (the graphql-transport-ws protocol) at /graphql on the same port,
// authenticated in connection_init ({ authorization: "Bearer …" } or the bare token), with the
// same request guard and validation limits as HTTP. A credential holds only as long as it lives:
// the socket closes when its session or API token expires, when it is signed out or revoked, and
// every new operation checks the credential again. Subscriptions are bounded per connection and
// per user (or API token) on this instance.
import type { ApolloServerPlugin } from "@apollo/server";
import { type DocumentNode, getOperationAST, GraphQLError, type GraphQLSchema, parse, specifiedRules, validate } from "graphql";
import { getVariableValues } from "graphql/execution/values.js";
import type { Context } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import type http from "node:http";
import { randomUUID } from "node:crypto";
import { WebSocketServer, WebSocket } from "ws";
import { type Actor, actorKey, sessionIdOf } from "../core/actor.js";
import { UnauthenticatedError } from "../core/errors.js";
import { createContext, type GraphQLContext } from "../graphql/context.js";
import { formatError, toGraphQLError } from "../graphql/errors.js";
import { assertTokenMayRun } from "../graphql/scope-check.js";
import { guardRequest } from "../graphql/request-guard.js";
import { keyOperation, sharedSubscribe } from "../graphql/shared-execution.js";
import type { Services } from "../services.js";
import { limitRules, credentialFromAuthorization } from "./graphql-http.js";
import type { Logger } from "./logger.js";
import { clientAddress, trustProxy } from "./client-address.js";

export const CLOSE_UNAUTHORIZED = 4401;
/** The standard "try again later" close: graphql-ws clients reconnect after it. */
const CLOSE_TRY_AGAIN_LATER = 1013;
/** graphql-transport-ws: "Invalid message received". */
const CLOSE_BAD_REQUEST = 4400;

/** What a client may send under graphql-transport-ws; graphql-ws treats the others as its own fault (4500). */
const CLIENT_MESSAGE_TYPES = new Set(["connection_init", "ping", "pong", "subscribe", "complete"]);

/**
 * A socket that refuses, as the protocol says (4400), a message a client must not send (a server's
 * "next" or "connection_ack"), before graphql-ws sees it.
 */
class ScreenedSocket extends WebSocket {
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === "message") {
      let type: unknown;
      try {
        const message = JSON.parse(String(args[0])) as unknown;
        type = message && typeof message === "object" ? (message as { type?: unknown }).type : undefined;
      } catch {
        type = undefined; // not JSON: graphql-ws answers that itself
      }
      if (typeof type === "string" && !CLIENT_MESSAGE_TYPES.has(type)) {
        // A fixed reason: a close reason is limited to 123 bytes, and ws throws beyond that.
        this.close(CLOSE_BAD_REQUEST, "Invalid message received: a client does not send this type");
        return true;
      }
    }
    return super.emit(event, ...args);
  }
}

/** setTimeout's longest delay; a later expiry is re-armed when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function credentialKey(actor: Actor): string | null {
  const sessionId = sessionIdOf(actor);
  if (sessionId) return `s:${sessionId}`;
  if (actor.type === "API_TOKEN") return `t:${actor.tokenId}`;
  return null;
}

type SocketExtra = {
  actor?: Actor;
  /** The Authorization value the socket signed in with, checked again per operation. */
  authorization?: string;
  address?: string;
  expiryTimer?: NodeJS.Timeout;
};

type SocketContext = Context<Record<string, unknown>, SocketExtra & { socket: WebSocket; request: http.IncomingMessage }>;

function codedErrors(errors: readonly GraphQLError[], code: string): GraphQLError[] {
  return errors.map((error) => new GraphQLError(error.message, { nodes: error.nodes, extensions: { ...error.extensions, code } }));
}

export function attachSubscriptions(options: { schema: GraphQLSchema; services: Services; httpServer: http.Server; logger: Logger }) {
  const { schema, services, logger } = options;
  const limits = services.config.graphql;
  const trust = trustProxy(services.config.trustProxy);
  const wsServer = new WebSocketServer({ server: options.httpServer, path: "/graphql", maxPayload: 1024 * 1024, WebSocket: ScreenedSocket });
  // Open sockets per session or API token, to close them when it is revoked.
  const socketsByCredential = new Map<string, Set<WebSocket>>();
  // Open connections per user or API token, to bound their subscriptions together.
  const connectionsByActor = new Map<string, Set<SocketContext>>();
  const rules = [...specifiedRules, ...limitRules(limits)];
  const format = formatError((error) => logger.error({ err: error }, "unexpected error in a subscription"));

  const closeUnauthorized = (socket: WebSocket, reason: string) => socket.close(CLOSE_UNAUTHORIZED, reason);

  /** Closes the socket when its credential expires (re-armed for expiries beyond a timer's reach). */
  const armExpiry = (ctx: SocketContext, expiresAt: Date | null) => {
    if (!expiresAt) return;
    const delay = expiresAt.getTime() - Date.now();
    ctx.extra.expiryTimer = setTimeout(
      () => (delay > MAX_TIMER_MS ? armExpiry(ctx, expiresAt) : closeUnauthorized(ctx.extra.socket, "Session expired: sign in again")),
      Math.max(0, Math.min(delay, MAX_TIMER_MS)),
    );
    ctx.extra.expiryTimer.unref();
  };

  /** Drops everything kept about a connection (it closed, or closed while it was being admitted). */
  const forget = (ctx: SocketContext) => {
    clearTimeout(ctx.extra.expiryTimer);
    const actor = ctx.extra.actor;
    if (!actor) return;
    const key = credentialKey(actor);
    if (key) {
      const set = socketsByCredential.get(key);
      set?.delete(ctx.extra.socket);
      if (set?.size === 0) socketsByCredential.delete(key);
    }
    const connections = connectionsByActor.get(actorKey(actor));
    connections?.delete(ctx);
    if (connections?.size === 0) connectionsByActor.delete(actorKey(actor));
  };

  const activeSubscriptions = (actor: Actor) => {
    let count = 0;
    for (const connection of connectionsByActor.get(actorKey(actor)) ?? []) count += Object.keys(connection.subscriptions).length;
    return count;
  };

  const serverCleanup = useServer<Record<string, unknown>, SocketExtra>(
    {
      schema,
      onConnect: async (ctx) => {
        const raw = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        const header = typeof raw === "string" ? (/^bearer\s/i.test(raw) ? raw : `Bearer ${raw}`) : null;
        try {
          const { viewer, expiresAt } = await credentialFromAuthorization(services, header);
          if (viewer.type === "ANONYMOUS") throw new UnauthenticatedError("no token");
          ctx.extra.actor = viewer;
          ctx.extra.authorization = header!;
          ctx.extra.address = clientAddress(ctx.extra.request, trust);
          const key = credentialKey(viewer);
          if (key) {
            const set = socketsByCredential.get(key) ?? new Set();
            set.add(ctx.extra.socket);
            socketsByCredential.set(key, set);
            // A revocation that committed while we were registering would otherwise be missed.
            await credentialFromAuthorization(services, header);
          }
          const connections = connectionsByActor.get(actorKey(viewer)) ?? new Set();
          connections.add(ctx as SocketContext);
          connectionsByActor.set(actorKey(viewer), connections);
          // The client may have gone while we were checking: then onClose ran before any of this.
          if (ctx.extra.socket.readyState !== WebSocket.OPEN) {
            forget(ctx as SocketContext);
            return false;
          }
          armExpiry(ctx as SocketContext, expiresAt);
          return true;
        } catch (error) {
          // A wrong or missing token is the client's to fix. A token that could not be checked (the
          // database restarting) is not: the client is told to try again, which the SDK does.
          if (error instanceof UnauthenticatedError) {
            closeUnauthorized(ctx.extra.socket, "Unauthorized: send a valid token as connectionParams.authorization");
          } else {
            logger.warn({ err: error }, "a WebSocket could not be admitted; its client is asked to try again");
            ctx.extra.socket.close(CLOSE_TRY_AGAIN_LATER, "The token cannot be checked right now: try again");
          }
          return false;
        }
      },
      onSubscribe: async (ctx, _id, payload) => {
        const actor = ctx.extra.actor;
        if (!actor) return [new GraphQLError("Sign in first", { extensions: { code: "UNAUTHENTICATED" } })];
        // Counted before anything is awaited, so operations are admitted in the order they arrive
        // (graphql-ws registers the new one before calling this hook).
        if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerConnection) {
          return [new GraphQLError(`At most ${limits.maxSubscriptionsPerConnection} operations at a time on one connection`, { extensions: { code: "BAD_REQUEST" } })];
        }
        if (activeSubscriptions(actor) > limits.maxSubscriptionsPerActor) {
          return [new GraphQLError(`At most ${limits.maxSubscriptionsPerActor} live subscriptions at a time per person or API token`, { extensions: { code: "BAD_REQUEST" } })];
        }
        try {
          await credentialFromAuthorization(services, ctx.extra.authorization);
        } catch {
          closeUnauthorized(ctx.extra.socket, "Session expired, signed out or revoked: sign in again");
          return [new GraphQLError("The token is expired, revoked or unknown: sign in again", { extensions: { code: "UNAUTHENTICATED" } })];
        }
        const refused = guardRequest(payload, limits, false);
        if (refused) return [refused];
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: limits.maxTokens });
        } catch (error) {
          return codedErrors([error instanceof GraphQLError ? error : new GraphQLError("The query cannot be parsed")], "GRAPHQL_PARSE_FAILED");
        }
        const errors = validate(schema, document, rules);
        if (errors.length > 0) return codedErrors(errors, "GRAPHQL_VALIDATION_FAILED");
        try {
          assertTokenMayRun(actor, schema, document, services.scopeRules);
        } catch (error) {
          return [toGraphQLError(error as Error)];
        }
        // Variables are checked here, as Apollo does over HTTP, so a wrong one is BAD_USER_INPUT, not INTERNAL.
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [new GraphQLError("Name the operation to run (operationName)", { extensions: { code: "OPERATION_RESOLUTION_FAILURE" } })];
        const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], payload.variables ?? {}, { maxErrors: 50 });
        if (coerced.errors) return codedErrors(coerced.errors, "BAD_USER_INPUT");
        keyOperation(document, payload.query, payload.operationName);
        return { schema, document, operationName: payload.operationName, variableValues: payload.variables };
      },
      onClose: (ctx) => forget(ctx as SocketContext),
      subscribe: sharedSubscribe,
      context: (ctx): GraphQLContext =>
        createContext(
          services,
          ctx.extra.actor ?? { type: "ANONYMOUS" },
          randomUUID(),
          ctx.extra.address ?? "unknown",
          ctx.extra.request.headers["user-agent"] ?? null,
          ctx.extra.request.headers["accept-language"] ?? null,
        ),
      // Errors get the same codes and the same hiding of internals as over HTTP.
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => format(error.toJSON(), error)),
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors?.length ? { ...result, errors: result.errors.map((error) => format(error.toJSON(), error)) } : undefined),
    },
    wsServer,
  );

  const unlisten = services.bus.listen((event) => {
    const key = event.topic === "session.revoked" ? `s:${event.sessionId}` : event.topic === "api_token.revoked" ? `t:${event.tokenId}` : null;
    if (!key) return;
    for (const socket of socketsByCredential.get(key) ?? []) closeUnauthorized(socket, "Signed out or token revoked");
    socketsByCredential.delete(key);
  });

  const plugin: ApolloServerPlugin<GraphQLContext> = {
    async serverWillStart() {
      return {
        async drainServer() {
          unlisten();
          await serverCleanup.dispose();
          for (const client of wsServer.clients) client.terminate();
          await new Promise<void>((resolve) => wsServer.close(() => resolve()));
        },
      };
    },
  };
  return { wsServer, plugin };
}

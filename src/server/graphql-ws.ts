// Subscriptions over graphql-ws (the graphql-transport-ws protocol) at /graphql on the same port,
// authenticated in connection_init ({ authorization: "Bearer …" } or the bare token), with the
// same validation limits as HTTP. A signed-out session's sockets are closed at once.
import type { ApolloServerPlugin } from "@apollo/server";
import { type GraphQLSchema, specifiedRules, validate } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import type http from "node:http";
import { randomUUID } from "node:crypto";
import { WebSocketServer, type WebSocket } from "ws";
import type { Actor } from "../core/actor.js";
import { createContext, type GraphQLContext } from "../graphql/context.js";
import { formatError } from "../graphql/errors.js";
import type { Services } from "../services.js";
import { limitRules, viewerFromAuthorization } from "./graphql-http.js";
import type { Logger } from "./logger.js";

export const CLOSE_UNAUTHORIZED = 4401;

function credentialKey(actor: Actor): string | null {
  if (actor.type === "USER" && actor.sessionId) return `s:${actor.sessionId}`;
  if (actor.type === "API_TOKEN") return `t:${actor.tokenId}`;
  return null;
}

type SocketExtra = {
  actor?: Actor;
  address?: string;
};

export function attachSubscriptions(options: { schema: GraphQLSchema; services: Services; httpServer: http.Server; logger: Logger }) {
  const { schema, services, logger } = options;
  const wsServer = new WebSocketServer({ server: options.httpServer, path: "/graphql", maxPayload: 1024 * 1024 });
  // Open sockets per session or API token, to close them when it is revoked.
  const socketsByCredential = new Map<string, Set<WebSocket>>();
  const rules = [...specifiedRules, ...limitRules(services.config.graphql)];
  const format = formatError((error) => logger.error({ err: error }, "unexpected error in a subscription"));

  const serverCleanup = useServer<Record<string, unknown>, SocketExtra>(
    {
      schema,
      validate: (s, document) => validate(s, document, rules),
      onConnect: async (ctx) => {
        const raw = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        const header = typeof raw === "string" ? (/^bearer\s/i.test(raw) ? raw : `Bearer ${raw}`) : null;
        try {
          const viewer = await viewerFromAuthorization(services, header);
          if (viewer.type === "ANONYMOUS") throw new Error("no token");
          ctx.extra.actor = viewer;
          ctx.extra.address = ctx.extra.request.socket.remoteAddress ?? "unknown";
          const key = credentialKey(viewer);
          if (key) {
            const set = socketsByCredential.get(key) ?? new Set();
            set.add(ctx.extra.socket);
            socketsByCredential.set(key, set);
            // A revocation that committed while we were registering would otherwise be missed.
            await viewerFromAuthorization(services, header);
          }
          return true;
        } catch {
          ctx.extra.socket.close(CLOSE_UNAUTHORIZED, "Unauthorized: send a valid token as connectionParams.authorization");
          return false;
        }
      },
      onClose: (ctx) => {
        const key = ctx.extra.actor ? credentialKey(ctx.extra.actor) : null;
        if (key) {
          const set = socketsByCredential.get(key);
          set?.delete(ctx.extra.socket);
          if (set?.size === 0) socketsByCredential.delete(key);
        }
      },
      context: (ctx): GraphQLContext =>
        createContext(services, ctx.extra.actor ?? { type: "ANONYMOUS" }, randomUUID(), ctx.extra.address ?? "unknown"),
      // Errors get the same codes and the same hiding of internals as over HTTP.
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => format(error.toJSON(), error)),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors?.length ? { ...result, errors: result.errors.map((error) => format(error.toJSON(), error)) } : undefined,
    },
    wsServer,
  );

  const unlisten = services.bus.listen((event) => {
    const key = event.topic === "session.revoked" ? `s:${event.sessionId}` : event.topic === "api_token.revoked" ? `t:${event.tokenId}` : null;
    if (!key) return;
    for (const socket of socketsByCredential.get(key) ?? []) socket.close(CLOSE_UNAUTHORIZED, "Signed out or token revoked");
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

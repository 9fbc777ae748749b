// The subscribers of the fan-out bench, in their own process (so their parsing does not share the
// server's event loop). Told by the parent (IPC) whom to subscribe as, it opens the sockets, says
// "ready", and for each event (named by the document's new filename) reports every arrival time
// once all subscribers have it. Modes: "project" (graphql-ws through the SDK, as a portal does)
// and "raw" (plain WebSockets that receive one JSON message per event, the baseline).
import { AdministrationEventsDocument, createClient, type PortalDeskClient } from "@portaldesk/sdk";
import { WebSocket } from "ws";

export interface SubscribersPlan {
  mode: "project" | "raw";
  /** The GraphQL URL (project) or the raw server's WebSocket URL. */
  url: string;
  administrationId: string;
  /** One entry per socket: the token it signs in with (project) and how many subscriptions it opens. */
  sockets: Array<{ token: string; subscriptions: number }>;
}

export type SubscribersMessage = { type: "ready" } | { type: "arrived"; name: string; at: number[] } | { type: "failed"; error: string };

const now = () => performance.timeOrigin + performance.now();
const send = (message: SubscribersMessage) => process.send!(message);

const arrivals = new Map<string, number[]>();
let total = 0;

function arrived(name: string): void {
  const times = arrivals.get(name) ?? [];
  times.push(now());
  arrivals.set(name, times);
  if (times.length === total) {
    arrivals.delete(name);
    send({ type: "arrived", name, at: times });
  }
}

async function project(plan: SubscribersPlan): Promise<() => Promise<void>> {
  const clients: PortalDeskClient[] = [];
  for (const socket of plan.sockets) {
    const client = createClient({ url: plan.url, token: socket.token, webSocketImpl: WebSocket });
    clients.push(client);
    for (let i = 0; i < socket.subscriptions; i++) {
      const events = client.subscribe(AdministrationEventsDocument, { administrationId: plan.administrationId });
      void (async () => {
        for await (const { administrationEvents } of events) {
          if (administrationEvents.document) arrived(administrationEvents.document.filename);
        }
      })().catch((error: Error) => send({ type: "failed", error: error.message }));
    }
  }
  return async () => {
    await Promise.all(clients.map((c) => c.dispose()));
  };
}

async function raw(plan: SubscribersPlan): Promise<() => Promise<void>> {
  const sockets: WebSocket[] = [];
  for (const { subscriptions } of plan.sockets) {
    for (let i = 0; i < subscriptions; i++) {
      const socket = new WebSocket(plan.url);
      socket.on("message", (data) => arrived((JSON.parse(String(data)) as { filename: string }).filename));
      await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
      sockets.push(socket);
    }
  }
  return async () => {
    for (const socket of sockets) socket.close();
  };
}

process.once("message", (plan: SubscribersPlan) => {
  total = plan.sockets.reduce((sum, s) => sum + s.subscriptions, 0);
  void (plan.mode === "project" ? project(plan) : raw(plan))
    .then((close) => {
      process.on("message", (message: { type: string }) => {
        if (message.type === "close") void close().then(() => process.exit(0));
      });
      send({ type: "ready" });
    })
    .catch((error: Error) => send({ type: "failed", error: error.message }));
});

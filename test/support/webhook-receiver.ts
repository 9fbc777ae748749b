// A webhook endpoint on 127.0.0.1 for tests: records every request and answers as the test says
// (2xx, another status, or never, to make the sender time out or be killed mid-request).
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
  at: number;
}

export type Answer = number | "hang";

/** What the tests read of a payload's data (documents are the usual subject). */
export interface ReceivedData {
  administration?: { id: string; name: string };
  document: Record<string, unknown> & { id: string };
  change?: string;
  [key: string]: unknown;
}

export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** Decides each answer; by default 204. */
  answer: (request: ReceivedWebhook, index: number) => Answer = () => 204;
  private readonly hanging = new Set<http.ServerResponse>();
  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<WebhookReceiver> {
    const server = http.createServer();
    const receiver = new WebhookReceiver(server);
    server.on("request", (request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]));
        const received = { headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
        receiver.received.push(received);
        const answer = receiver.answer(received, receiver.received.length - 1);
        if (answer === "hang") {
          receiver.hanging.add(response);
          response.on("close", () => receiver.hanging.delete(response));
          return;
        }
        response.writeHead(answer, { "content-type": "text/plain" }).end(answer >= 300 ? `refused with ${answer}` : "thanks");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** The payloads received, parsed. */
  payloads(): Array<{ id: string; type: string; data: ReceivedData }> {
    return this.received.map((r) => ({ id: r.headers["webhook-id"]!, ...(JSON.parse(r.body) as { type: string; data: ReceivedData }) }));
  }

  async close(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

// A fuzzer for a running server: malformed GraphQL over HTTP (mutated SDK operations, wrong
// variable types, unsafe text, broken JSON), malformed multipart bodies (missing and extra files,
// odd part headers, odd map paths, cut-off bodies) and malformed WebSocket traffic (junk frames,
// out-of-order messages, broken operations). Seeded, so a failure can be replayed. Used by the
// fuzz test (which asserts the server stays up and answers cleanly) and by bench/fuzz.bench.ts
// (which reports how fast /healthz answers meanwhile).
import * as sdk from "@portaldesk/sdk";
import http from "node:http";
import { WebSocket } from "ws";
import { mulberry32 } from "../../bench/corpus/random.js";
import { BOUNDARY, multipart, type Part } from "./raw-http.js";

/** mulberry32 (shared with the benchmark corpus): small, fast, good enough to vary inputs reproducibly. */
export const random = mulberry32;

const OPERATIONS: string[] = Object.entries(sdk)
  .filter(([name, value]) => name.endsWith("Document") && value instanceof String)
  .map(([, value]) => String(value));

const NASTY = ["\u0000", "\ud800", "\udfff", "\u202e", "\u2066", "\r\n", "\u0001", "𝔘", "'; DROP TABLE users; --", "../../etc/passwd", "%00", "${7*7}", "__proto__", "constructor"];

export interface FuzzOutcome {
  kind: string;
  /** HTTP status, or for WebSocket the close code (0: still open when the case ended). */
  status: number;
  /** The answer named an INTERNAL error. */
  internal: boolean;
  detail: string;
}

export interface FuzzTarget {
  url: string;
  /** A valid session token, used by some cases to get past authentication. */
  token: string;
  /** A real administration id, for cases that reach the services. */
  administrationId: string;
}

class Gen {
  constructor(private readonly next: () => number) {}
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  text(max = 40): string {
    let out = "";
    const length = this.int(max);
    for (let i = 0; i < length; i++) out += this.chance(0.15) ? this.pick(NASTY) : String.fromCharCode(32 + this.int(95));
    return out;
  }
  /** A random JSON-ish value, sometimes nested deep. */
  value(depth = 0): unknown {
    const choice = this.int(depth > 4 ? 5 : 8);
    switch (choice) {
      case 0:
        return null;
      case 1:
        return this.text();
      case 2:
        return this.pick([0, -1, 2 ** 31, 2 ** 53 + 1, 1.5, -0, 1e308]);
      case 3:
        return this.chance(0.5);
      case 4:
        return this.pick(["", "2025-02-30", "0000-01-01", "QWRtaW5pc3RyYXRpb246eA", "not-an-id", "a".repeat(5000)]);
      case 5:
        return Array.from({ length: this.int(4) }, () => this.value(depth + 1));
      default:
        return Object.fromEntries(
          Array.from({ length: this.int(4) }, () => [this.pick(["input", "id", "first", "after", "files", "query", "email", this.text(8)]), this.value(depth + 1)]),
        );
    }
  }
  /** An SDK operation with a few characters changed, dropped or added. */
  mutatedQuery(): string {
    let query = this.pick(OPERATIONS);
    const edits = this.int(4);
    for (let i = 0; i < edits; i++) {
      const at = this.int(query.length);
      const edit = this.int(3);
      if (edit === 0) query = query.slice(0, at) + query.slice(at + 1 + this.int(5));
      else if (edit === 1) query = query.slice(0, at) + this.pick(["{", "}", "(", ")", "$", "...", "@skip", ":", '"', "#", this.text(3)]) + query.slice(at);
      else query = query.slice(0, at) + query.slice(at).replace(/\w+/, this.text(6).replace(/\W/g, "") || "x");
    }
    return query;
  }
}

/** Percent-encodes the UTF-8 bytes of `text` (lone surrogates too, as a client could send them). */
function percent(text: string): string {
  return [...Buffer.from(text, "utf8")].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");
}

function request(
  target: FuzzTarget,
  init: { method?: string; path?: string; headers?: Record<string, string>; body?: Buffer | string; cutAfter?: number },
): Promise<{ status: number; text: string }> {
  const url = new URL(init.path ?? "/graphql", target.url);
  // Node's client sends only printable header values; the server's side of odd headers is tested as far as that allows.
  const headers = Object.fromEntries(Object.entries(init.headers ?? {}).map(([k, v]) => [k, v.replace(/[^\x20-\x7e]/g, "?")]));
  return new Promise((resolve) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: init.method ?? "POST", headers });
    const timer = setTimeout(() => {
      req.destroy();
      resolve({ status: -1, text: "no answer within 15 s" });
    }, 15_000);
    req.on("response", (response) => {
      let text = "";
      response.on("data", (c: Buffer) => (text += c.toString()));
      response.on("end", () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, text });
      });
      response.on("error", () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, text });
      });
    });
    req.on("error", (error) => {
      clearTimeout(timer);
      // A connection the server closes on a request it refused (e.g. after a 400 with Connection: close) is fine.
      resolve({ status: 0, text: error.message });
    });
    const body = init.body === undefined ? undefined : Buffer.isBuffer(init.body) ? init.body : Buffer.from(init.body);
    if (body && init.cutAfter !== undefined) {
      req.write(body.subarray(0, init.cutAfter));
      req.end();
    } else {
      req.end(body);
    }
  });
}

async function httpCase(g: Gen, target: FuzzTarget): Promise<FuzzOutcome> {
  const auth: Record<string, string> = g.chance(0.5)
    ? { authorization: g.chance(0.9) ? `Bearer ${target.token}` : g.pick(["Bearer ", "Basic abc", `Bearer ${g.text(20)}`, "Bearer pds_x"]) }
    : {};
  const shape = g.int(6);
  let body: string;
  if (shape === 0) body = JSON.stringify({ query: g.mutatedQuery(), variables: g.value() });
  else if (shape === 1) body = JSON.stringify({ query: g.pick(OPERATIONS), variables: g.value(), operationName: g.chance(0.3) ? g.text(10) : undefined });
  else if (shape === 2)
    body = JSON.stringify({
      query: g.pick(OPERATIONS),
      variables: { input: g.value(), id: g.value(), administrationId: g.chance(0.5) ? target.administrationId : g.value(), first: g.value(), after: g.value() },
    });
  else if (shape === 3) body = JSON.stringify(g.value());
  else if (shape === 4) body = JSON.stringify({ query: g.pick(OPERATIONS) }).slice(0, g.int(200));
  else body = `${"[".repeat(g.int(5000))}${g.text(10)}`;
  const headers = {
    "content-type": g.pick(["application/json", "application/json", "application/graphql-response+json", "text/plain", "application/x-www-form-urlencoded"]),
    ...auth,
  };
  const answer = g.chance(0.1)
    ? await request(target, {
        method: "GET",
        path: `/graphql?query=${percent(g.mutatedQuery()).slice(0, 4000)}&variables=${percent(g.text(30))}`,
        headers: { ...auth, "apollo-require-preflight": "1" },
      })
    : await request(target, { headers, body });
  return { kind: "http", status: answer.status, internal: /"INTERNAL"/.test(answer.text), detail: body.slice(0, 300) };
}

async function multipartCase(g: Gen, target: FuzzTarget): Promise<FuzzOutcome> {
  const query = g.chance(0.7)
    ? "mutation($input: UploadDocumentsInput!) { uploadDocuments(input: $input) { documents { id } userErrors { message } } }"
    : "mutation($input: PublishReportInput!) { publishReport(input: $input) { report { id } userErrors { message } } }";
  const files = g.int(4);
  const paths = Array.from({ length: files }, (_, i) =>
    g.chance(0.8)
      ? [`variables.input.files.${i}`]
      : [g.pick(["variables.input.file", "variables.__proto__.x", "variables.constructor.prototype.y", "x", "variables.input.files.999999", g.text(10)])],
  );
  const parts: Part[] = [];
  const operations = {
    name: "operations",
    content: JSON.stringify({
      query,
      variables: {
        input: {
          administrationId: g.chance(0.7) ? target.administrationId : g.value(),
          files: paths.map(() => null),
          file: null,
          title: g.text(10),
          kind: "OTHER",
          periodStart: "2025-01-01",
          periodEnd: "2025-12-31",
          tray: g.pick([undefined, "PURCHASE", "BOGUS"]),
        },
      },
    }),
  };
  const map = { name: "map", content: g.chance(0.9) ? JSON.stringify(Object.fromEntries(paths.map((p, i) => [String(i), p]))) : g.text(20) };
  if (g.chance(0.9)) parts.push(operations);
  if (g.chance(0.9)) parts.push(map);
  if (g.chance(0.1)) parts.reverse();
  for (let i = 0; i < files + g.int(2); i++) {
    if (g.chance(0.2)) continue; // a file the map names but the body lacks
    const filename = g.chance(0.6) ? `scan-${i}.pdf` : g.text(30).replace(/"/g, "");
    const content = g.pick([Buffer.from("%PDF-1.4\n%%EOF\n"), Buffer.from(g.text(200)), Buffer.alloc(g.int(20000), g.int(256)), Buffer.from("\x89PNG\r\n\x1a\n")]);
    parts.push({ name: g.chance(0.9) ? String(i) : g.text(5).replace(/"/g, ""), filename, content });
  }
  const body = multipart(parts, { end: g.chance(0.8) });
  const boundary = g.chance(0.9) ? `; boundary=${BOUNDARY}` : g.pick(["", "; boundary=", `; boundary="${g.text(5).replace(/[^\x20-\x7e]/g, "")}"`]);
  const answer = await request(target, {
    headers: { "content-type": `multipart/form-data${boundary}`, "apollo-require-preflight": "1", ...(g.chance(0.7) ? { authorization: `Bearer ${target.token}` } : {}) },
    body,
    cutAfter: g.chance(0.2) ? g.int(body.length) : undefined,
  });
  const internal = /"INTERNAL"/.test(answer.text);
  return { kind: "multipart", status: answer.status, internal, detail: `${body.subarray(0, 300).toString("latin1")}${internal ? ` => ${answer.text.slice(0, 300)}` : ""}` };
}

async function webSocketCase(g: Gen, target: FuzzTarget): Promise<FuzzOutcome> {
  const url = target.url.replace(/^http/, "ws") + "/graphql";
  const protocol = g.chance(0.9) ? "graphql-transport-ws" : g.pick(["graphql-ws", "junk", ""]);
  const socket = protocol ? new WebSocket(url, protocol) : new WebSocket(url);
  let internal = false;
  let sent = "";
  const closed = new Promise<number>((resolve) => {
    socket.on("close", (code) => resolve(code));
    socket.on("error", () => resolve(-2));
  });
  socket.on("message", (data) => {
    if (/"INTERNAL"/.test(String(data))) {
      internal = true;
      sent += ` => ${String(data).slice(0, 300)}`;
    }
  });
  await new Promise<void>((resolve) => {
    socket.once("open", () => resolve());
    socket.once("error", () => resolve());
    socket.once("close", () => resolve());
  });
  const send = (frame: string | Buffer) => {
    if (socket.readyState !== WebSocket.OPEN) return;
    sent += `${String(frame).slice(0, 120)} | `;
    socket.send(frame);
  };
  if (g.chance(0.8)) send(JSON.stringify({ type: "connection_init", payload: g.chance(0.8) ? { authorization: `Bearer ${target.token}` } : g.value() }));
  await new Promise((r) => setTimeout(r, 30));
  for (let i = 0; i < 1 + g.int(5); i++) {
    const choice = g.int(6);
    if (choice === 0) send(g.text(50));
    else if (choice === 1) send(Buffer.alloc(g.int(2000), g.int(256)));
    else if (choice === 2) send(JSON.stringify(g.value()));
    else if (choice === 3) send(JSON.stringify({ id: g.pick(["1", "1", g.text(5)]), type: "subscribe", payload: { query: g.mutatedQuery(), variables: g.value() } }));
    else if (choice === 4)
      send(
        JSON.stringify({
          id: String(i),
          type: "subscribe",
          payload: { query: g.pick(OPERATIONS), variables: { administrationId: target.administrationId, id: g.value(), input: g.value() } },
        }),
      );
    else send(JSON.stringify({ id: g.text(3), type: g.pick(["complete", "ping", "pong", "next", "error", "connection_ack"]), payload: g.value() }));
  }
  await new Promise((r) => setTimeout(r, 50 + g.int(150)));
  const openAtEnd = socket.readyState === WebSocket.OPEN;
  socket.close();
  const code = openAtEnd ? 0 : await closed;
  return { kind: "websocket", status: code, internal, detail: sent.slice(0, 300) };
}

/** An answer that shows a fault of the server: a 5xx, no answer at all, INTERNAL, or a WebSocket closed as "internal error" (1011, graphql-ws' 4500). */
export function isServerFault(outcome: FuzzOutcome): boolean {
  if (outcome.internal) return true;
  if (outcome.kind === "websocket") return outcome.status === 1011 || outcome.status === 4500;
  return outcome.status >= 500 || outcome.status === -1;
}

/** Case `index` of run `seed`, on its own generator: any case can be replayed alone. */
export function fuzzCase(target: FuzzTarget, seed: number, index: number): Promise<FuzzOutcome> {
  const g = new Gen(random(Math.imul(seed, 100_003) + index));
  const kind = g.int(10);
  return kind < 5 ? httpCase(g, target) : kind < 8 ? multipartCase(g, target) : webSocketCase(g, target);
}

/** Runs `count` random cases, `concurrency` at a time; returns every outcome with its case index. */
export async function fuzz(target: FuzzTarget, options: { seed: number; count: number; concurrency: number }): Promise<Array<FuzzOutcome & { index: number }>> {
  const outcomes: Array<FuzzOutcome & { index: number }> = [];
  let next = 0;
  const worker = async () => {
    while (next < options.count) {
      const index = next++;
      outcomes.push({ ...(await fuzzCase(target, options.seed, index)), index });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return outcomes;
}

/** Polls /healthz every `everyMs` until stopped; returns each answer's latency (ms), or -1 for none within `timeoutMs`. */
export function watchHealth(url: string, everyMs: number, timeoutMs: number): { stop: () => Promise<number[]> } {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
        await response.text();
        latencies.push(response.status === 200 ? performance.now() - started : -1);
      } catch {
        latencies.push(-1);
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return latencies;
    },
  };
}

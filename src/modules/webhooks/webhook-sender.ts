// One HTTP POST of a signed message to an endpoint: a 2xx answer in time is success, anything else
// (another status, a redirect, a timeout, a refused or private address) a failure to retry.
import http from "node:http";
import https from "node:https";
import { measured } from "../../core/outcomes.js";
import { assertLiteralAllowed, guardedLookup } from "./webhook-target.js";

export interface SendResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  responseExcerpt: string | null;
}

const EXCERPT_CHARS = 1000;
/** Read of an answer's body at most (the rest is dropped): enough for the excerpt. */
const READ_BYTES = 16 * 1024;

type SendOptions = { timeoutMs: number; allowPrivate: boolean };

export function sendWebhook(url: string, body: string, headers: Record<string, string>, options: SendOptions): Promise<SendResult> {
  return measured(
    "webhook",
    "deliver",
    () => post(url, body, headers, options),
    (result) => result.ok,
  );
}

function post(url: string, body: string, headers: Record<string, string>, options: SendOptions): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<SendResult, "durationMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: elapsed() });
    };
    const fail = (error: string) => finish({ ok: false, statusCode: null, error: error.slice(0, 500), responseExcerpt: null });
    const timer = setTimeout(() => {
      request?.destroy();
      fail(`No answer within ${options.timeoutMs / 1000} s`);
    }, options.timeoutMs);
    let request: http.ClientRequest | undefined;
    try {
      const target = new URL(url);
      assertLiteralAllowed(target.hostname, options.allowPrivate);
      request = (target.protocol === "https:" ? https : http).request(target, {
        method: "POST",
        lookup: guardedLookup(options.allowPrivate),
        headers: {
          ...headers,
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(body)),
          "user-agent": "PortalDesk-Webhooks/1",
        },
      });
    } catch (error) {
      fail((error as Error).message);
      return;
    }
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        const statusCode = response.statusCode ?? null;
        const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
        const excerpt = Buffer.concat(chunks).toString("utf8").slice(0, EXCERPT_CHARS);
        finish({ ok, statusCode, error: ok ? null : `The endpoint answered ${statusCode}`, responseExcerpt: excerpt || null });
        response.destroy();
      };
      response.on("data", (chunk: Buffer) => {
        if (size < READ_BYTES) chunks.push(chunk);
        size += chunk.length;
        if (size >= READ_BYTES) done();
      });
      response.on("end", done);
      response.on("error", (error) => fail(error.message));
    });
    request.on("error", (error) => fail(error.message));
    request.end(body);
  });
}

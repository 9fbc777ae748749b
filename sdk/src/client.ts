// The PortalDesk client: typed queries and mutations over HTTP (fetch), uploads by the multipart
// spec, and subscriptions over graphql-ws as async iterables. Requests can be aborted and timed out,
// are retried where that is safe (retry.ts), and are sent as automatic persisted queries (the
// query's hash first; the text only when the server does not know it yet).
import { createClient as createWsClient, type Client as WsClient } from "graphql-ws";
import { operationOf, type OperationDocument, type OperationInfo, sha256Of } from "./documents.js";
import { AbortedError, errorFromResponse, type GraphQLErrorEntry, NetworkError, PortalDeskError, TimeoutError, UnauthenticatedError } from "./errors.js";
import { retryAfterSeconds, retryDelay, type RetryPolicy, sleep } from "./retry.js";
import { extractFiles, multipartBody } from "./upload.js";

export type TokenSource = string | null | undefined | (() => string | null | undefined | Promise<string | null | undefined>);

export interface ClientOptions {
  /** The GraphQL endpoint, e.g. `https://portal.example.nl/graphql`. */
  url: string;
  /** Bearer token (session or API token), or a function returning the current one. */
  token?: TokenSource;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Extra headers for every HTTP request. */
  headers?: Record<string, string>;
  /**
   * The language of the server's sentences (`userErrors[].message`, what was read from a document):
   * sent as Accept-Language, or a function returning the current one (a page whose language menu
   * changes). Unset, the signed-in person's language setting decides (API tokens: English).
   */
  language?: "nl" | "en" | (() => "nl" | "en");
  /** WebSocket endpoint; defaults to `url` with ws(s). */
  wsUrl?: string;
  /** A WebSocket implementation where there is no global one (Node 20: the `ws` package). */
  webSocketImpl?: unknown;
  /** How often a request is sent again where that is safe (default 2; uploads are never resent). See RequestOptions.retries. */
  retries?: number;
  /** @deprecated Use `retries` (it also covers 503 and unreachable servers). */
  rateLimitRetries?: number;
  /** The longest wait (seconds) the client sits out before retrying; a longer one throws at once (default 30). */
  maxRetryWaitSeconds?: number;
  /** Default time (ms) a request may take, retries included (default 0: none, as fetch; a slow mutation is not cut off unless asked). Uploads have none unless their request names one. */
  timeoutMs?: number;
  /** Send queries and mutations as automatic persisted queries (default true). */
  persistedQueries?: boolean;
  /**
   * Called when the live connection is back after it was lost (a server restarted or went away):
   * the client reconnected and re-subscribed by itself, but events in between may have been missed,
   * so refetch what the page shows.
   */
  onReconnect?: () => void;
  /** How often a lost live connection is tried again, waiting longer each time (default 8: about four minutes). */
  reconnectAttempts?: number;
}

/** Per request: abort it, bound its time, or change how often it is retried. */
export interface RequestOptions {
  /** Aborts the request (and any wait before a retry): it then rejects with AbortedError. */
  signal?: AbortSignal;
  /** Time (ms) the request may take, retries included; rejects with TimeoutError after it (0: none). */
  timeoutMs?: number;
  /** How often it may be sent again (queries: unreachable server, 502/503/504; any operation: 429 and 503). */
  retries?: number;
}

/** Variables argument: optional when the operation has no required variables; then the request's options. */
export type RequestArgs<V> = Record<string, never> extends V ? [variables?: V, options?: RequestOptions] : [variables: V, options?: RequestOptions];
/** Variables argument of a subscription. */
export type VariablesArgs<V> = Record<string, never> extends V ? [variables?: V] : [variables: V];

interface GraphQLResponse<R> {
  data?: R | null;
  errors?: GraphQLErrorEntry[];
  extensions?: Record<string, unknown>;
}

/** Close codes the server uses for authentication failures of a WebSocket. */
const WS_UNAUTHORIZED = new Set([4401, 4403]);

/** A signal that aborts when the caller's does or the time is up, and whether it was the time. */
function deadline(signal: AbortSignal | undefined, timeoutMs: number): { signal: AbortSignal | undefined; timedOut: () => boolean; clear: () => void } {
  if (!timeoutMs) return { signal, timedOut: () => false, clear: () => undefined };
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new Error(`timed out after ${timeoutMs} ms`));
  }, timeoutMs);
  const onAbort = () => controller.abort(signal!.reason);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => expired,
    clear: () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    },
  };
}

export class PortalDeskClient {
  private token: TokenSource;
  private readonly fetchImpl: typeof fetch;
  private ws: WsClient | null = null;
  /** Off once the server said it does not support persisted queries. */
  private persisted: boolean;
  /** `extensions` of the last HTTP response (e.g. the server's statement count in tests). */
  lastExtensions: Record<string, unknown> | null = null;

  constructor(private readonly options: ClientOptions) {
    this.token = options.token;
    this.persisted = options.persistedQueries ?? true;
    const given = options.fetch ?? globalThis.fetch;
    if (!given) throw new Error("No fetch available: pass `fetch` in the client options");
    this.fetchImpl = given.bind(globalThis);
  }

  /** Switches the token used from now on (subscriptions reconnect with it). */
  setToken(token: TokenSource): void {
    this.token = token;
    if (this.ws) {
      const old = this.ws;
      this.ws = null;
      void old.dispose();
    }
  }

  private async currentToken(): Promise<string | null> {
    const token = typeof this.token === "function" ? await this.token() : this.token;
    return token || null;
  }

  /**
   * Runs a query or mutation and returns its typed `data`. Top-level errors throw a typed
   * PortalDeskError (UnauthenticatedError, NotFoundError, …); `userErrors` of payloads are data:
   * check them, or pass the payload to `unwrap()`.
   * @example const { viewer } = await client.request(ViewerDocument, {}, { signal, timeoutMs: 5000 });
   */
  async request<R, V extends Record<string, unknown>>(document: OperationDocument<R, V>, ...[variables, options = {}]: RequestArgs<V>): Promise<R> {
    const operation = operationOf(document);
    const { files } = extractFiles(variables ?? {});
    const policy: RetryPolicy = {
      retries: files.length > 0 ? 0 : (options.retries ?? this.options.retries ?? this.options.rateLimitRetries ?? 2),
      maxWaitSeconds: this.options.maxRetryWaitSeconds ?? 30,
      baseDelayMs: 300,
    };
    const timeoutMs = options.timeoutMs ?? (files.length > 0 ? 0 : (this.options.timeoutMs ?? 0));
    const limit = deadline(options.signal, timeoutMs);
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          return await this.send<R>(operation, variables, limit.signal);
        } catch (error) {
          const wait = retryDelay(error, attempt, operation.kind, policy);
          if (wait === null) throw error;
          await sleep(wait, limit.signal);
        }
      }
    } catch (error) {
      if (limit.signal?.aborted) {
        if (limit.timedOut()) throw new TimeoutError(`No answer from ${this.options.url} within ${timeoutMs} ms`, { code: "TIMEOUT", cause: error });
        throw new AbortedError("The request was aborted", { code: "ABORTED", cause: limit.signal.reason });
      }
      throw error;
    } finally {
      limit.clear();
    }
  }

  /** One try: by hash first where persisted queries are on, then with the query's text if the server asks for it. */
  private async send<R>(operation: OperationInfo, variables: Record<string, unknown> | undefined, signal: AbortSignal | undefined): Promise<R> {
    const hash = this.persisted ? await sha256Of(operation.query) : null;
    if (hash) {
      const init = await this.httpRequest(operation, variables, hash, false);
      const answer = await this.fetchOnce(init, signal);
      const code = persistedQueryProblem(answer.text);
      if (!code) return this.result<R>(answer.status, answer.text, answer.headers);
      if (code === "PERSISTED_QUERY_NOT_SUPPORTED") this.persisted = false;
      const full = await this.httpRequest(operation, variables, code === "PERSISTED_QUERY_NOT_FOUND" ? hash : null, true);
      const again = await this.fetchOnce(full, signal);
      return this.result<R>(again.status, again.text, again.headers);
    }
    const answer = await this.fetchOnce(await this.httpRequest(operation, variables, null, true), signal);
    return this.result<R>(answer.status, answer.text, answer.headers);
  }

  private async fetchOnce(init: RequestInit, signal: AbortSignal | undefined): Promise<{ status: number; text: string; headers: Headers }> {
    try {
      const response = await this.fetchImpl(this.options.url, { ...init, signal });
      return { status: response.status, text: await response.text(), headers: response.headers };
    } catch (cause) {
      if (signal?.aborted) throw cause;
      throw new NetworkError(`Cannot reach ${this.options.url}: ${(cause as Error).message}`, { code: "NETWORK_ERROR", cause });
    }
  }

  /**
   * Like `request`, reporting how much of the request body was sent (for upload progress bars).
   * Browsers send it with XMLHttpRequest, the one API that reports upload progress; elsewhere it
   * falls back to `request` and reports once, at the end.
   */
  async requestWithProgress<R, V extends Record<string, unknown>>(document: OperationDocument<R, V>, variables: V, onProgress: (sent: number, total: number) => void): Promise<R> {
    const operation = operationOf(document);
    const init = await this.httpRequest(operation, variables, null, true);
    const Xhr = (globalThis as { XMLHttpRequest?: typeof XMLHttpRequest }).XMLHttpRequest;
    if (!Xhr || (init as { duplex?: string }).duplex) {
      const data = await this.request(document, ...([variables] as unknown as RequestArgs<V>));
      onProgress(1, 1);
      return data;
    }
    const { status, text, headers } = await new Promise<{ status: number; text: string; headers: Headers }>((resolve, reject) => {
      const xhr = new Xhr();
      xhr.open("POST", this.options.url);
      for (const [name, value] of Object.entries(init.headers as Record<string, string>)) xhr.setRequestHeader(name, value);
      xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : event.loaded);
      xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText, headers: new Headers({ "retry-after": xhr.getResponseHeader("retry-after") ?? "" }) });
      xhr.onerror = () => reject(new NetworkError(`Cannot reach ${this.options.url}`, { code: "NETWORK_ERROR" }));
      xhr.send(init.body as XMLHttpRequestBodyInit);
    });
    return this.result<R>(status, text, headers);
  }

  /** The HTTP request for an operation: JSON (by hash, with or without the text), or multipart when the variables hold files. */
  private async httpRequest(
    operation: OperationInfo,
    variables: Record<string, unknown> | undefined,
    hash: string | null,
    withQuery: boolean,
  ): Promise<RequestInit & { duplex?: "half" }> {
    const { query, name: operationName } = operation;
    const headers: Record<string, string> = {
      accept: "application/graphql-response+json, application/json",
      ...this.options.headers,
    };
    const token = await this.currentToken();
    if (token) headers.authorization = `Bearer ${token}`;
    const { language } = this.options;
    if (language) headers["accept-language"] = typeof language === "function" ? language() : language;
    const { clone, files } = extractFiles(variables ?? {});
    if (files.length > 0) {
      const multipart = multipartBody(JSON.stringify({ query, variables: clone, operationName }), files);
      // The server's CSRF prevention accepts multipart only with this header.
      headers["apollo-require-preflight"] = "true";
      Object.assign(headers, multipart.headers);
      return { method: "POST", headers, body: multipart.body, ...(multipart.streamed ? { duplex: "half" as const } : {}) };
    }
    headers["content-type"] = "application/json";
    const extensions = hash ? { persistedQuery: { version: 1, sha256Hash: hash } } : undefined;
    return { method: "POST", headers, body: JSON.stringify({ ...(withQuery ? { query } : {}), variables: variables ?? {}, operationName, ...(extensions ? { extensions } : {}) }) };
  }

  /** `data` of a GraphQL response, or the typed error it carries. */
  private result<R>(status: number, text: string, headers: Headers): R {
    const retryAfter = retryAfterSeconds(headers.get("retry-after"));
    const retryAfterMs = retryAfter === null ? null : retryAfter * 1000;
    let body: GraphQLResponse<R>;
    try {
      body = JSON.parse(text) as GraphQLResponse<R>;
    } catch {
      throw new NetworkError(`The server answered HTTP ${status} with something that is not JSON`, { code: "HTTP_ERROR", status, retryAfterMs });
    }
    this.lastExtensions = body.extensions ?? null;
    if (body.errors?.length) throw errorFromResponse(body.errors, status, body.data ?? null, retryAfterMs);
    if (!body.data) throw new NetworkError(`HTTP ${status} without data`, { code: "HTTP_ERROR", status, retryAfterMs });
    return body.data;
  }

  private wsClient(): WsClient {
    if (this.ws) return this.ws;
    const wsUrl = this.options.wsUrl ?? this.options.url.replace(/^http/i, "ws");
    this.ws = createWsClient({
      url: wsUrl,
      webSocketImpl: this.options.webSocketImpl,
      lazy: true,
      lazyCloseTimeout: 0,
      retryAttempts: this.options.reconnectAttempts ?? 8,
      on: { connected: (_socket, _payload, wasRetry) => (wasRetry ? this.options.onReconnect?.() : undefined) },
      shouldRetry: (event) => !(event && typeof event === "object" && "code" in event && WS_UNAUTHORIZED.has((event as { code: number }).code)),
      connectionParams: async () => {
        const token = await this.currentToken();
        return token ? { authorization: `Bearer ${token}` } : {};
      },
    });
    return this.ws;
  }

  /**
   * Subscribes; yields each event's typed `data`. End it with `break` or `return()`.
   * @example for await (const { notificationReceived } of client.subscribe(NotificationReceivedDocument)) …
   */
  subscribe<R, V extends Record<string, unknown>>(document: OperationDocument<R, V>, ...[variables]: VariablesArgs<V>): AsyncIterableIterator<R> {
    // Our own queue rather than graphql-ws's iterate(), which loses an error (e.g. the socket closed
    // as unauthorised) that arrives before the first next() call.
    const values: R[] = [];
    let failure: PortalDeskError | null = null;
    let finished = false;
    let wake: (() => void) | null = null;
    const notify = () => {
      wake?.();
      wake = null;
    };
    const dispose = this.wsClient().subscribe<R>(
      { query: operationOf(document).query, variables: variables ?? {} },
      {
        next: (result) => {
          if (result.errors?.length) failure = errorFromResponse(result.errors as unknown as GraphQLErrorEntry[], null, result.data ?? null);
          else values.push(result.data as R);
          notify();
        },
        error: (error) => {
          failure = toSubscriptionError(error);
          finished = true;
          notify();
        },
        complete: () => {
          finished = true;
          notify();
        },
      },
    );
    const iterator: AsyncIterableIterator<R> = {
      next: async () => {
        while (true) {
          if (values.length > 0) return { done: false, value: values.shift()! };
          if (failure) {
            const error = failure;
            failure = null;
            finished = true;
            dispose();
            throw error;
          }
          if (finished) return { done: true, value: undefined };
          await new Promise<void>((resolve) => (wake = resolve));
        }
      },
      return: async () => {
        finished = true;
        values.length = 0;
        dispose();
        notify();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  /** Closes the WebSocket, if one is open. */
  async dispose(): Promise<void> {
    const ws = this.ws;
    this.ws = null;
    await ws?.dispose();
  }
}

function toSubscriptionError(error: unknown): PortalDeskError {
  if (error instanceof PortalDeskError) return error;
  if (Array.isArray(error)) return errorFromResponse(error as GraphQLErrorEntry[], null, null);
  if (error && typeof error === "object" && "code" in error && typeof (error as { code: unknown }).code === "number") {
    const { code, reason } = error as { code: number; reason?: string };
    if (WS_UNAUTHORIZED.has(code)) return new UnauthenticatedError(reason || "The subscription was not authorised", { code: "UNAUTHENTICATED" });
    return new NetworkError(`The subscription connection closed (${code}${reason ? `: ${reason}` : ""})`, { code: "NETWORK_ERROR" });
  }
  return new NetworkError(error instanceof Error ? error.message : "The subscription failed", { code: "NETWORK_ERROR", cause: error });
}

/** The code of a persisted-query refusal in a response body, if it is one. */
function persistedQueryProblem(text: string): string | null {
  if (!text.includes("PERSISTED_QUERY_NOT_")) return null;
  try {
    const code = (JSON.parse(text) as GraphQLResponse<unknown>).errors?.[0]?.extensions?.code;
    return code === "PERSISTED_QUERY_NOT_FOUND" || code === "PERSISTED_QUERY_NOT_SUPPORTED" ? code : null;
  } catch {
    return null;
  }
}

export function createClient(options: ClientOptions): PortalDeskClient {
  return new PortalDeskClient(options);
}

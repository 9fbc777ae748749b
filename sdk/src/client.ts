// The PortalDesk client: typed queries and mutations over HTTP (fetch), uploads by the multipart
// spec, and subscriptions over graphql-ws as async iterables.
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import { createClient as createWsClient, type Client as WsClient } from "graphql-ws";
import { errorFromResponse, type GraphQLErrorEntry, NetworkError, PortalDeskError, RateLimitedError, UnauthenticatedError } from "./errors.js";
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
  /** WebSocket endpoint; defaults to `url` with ws(s). */
  wsUrl?: string;
  /** A WebSocket implementation where there is no global one (Node 20: the `ws` package). */
  webSocketImpl?: unknown;
  /** How often a request refused as over the rate limit is sent again after the wait the server names (default 2; uploads are not resent). */
  rateLimitRetries?: number;
  /** The longest wait (seconds) the client sits out before retrying; a longer one throws RateLimitedError at once (default 30). */
  maxRetryWaitSeconds?: number;
}

/** Variables argument: optional when the operation has no required variables. */
type VariablesArgs<V> = Record<string, never> extends V ? [variables?: V] : [variables: V];

interface GraphQLResponse<R> {
  data?: R | null;
  errors?: GraphQLErrorEntry[];
  extensions?: Record<string, unknown>;
}

/** Close codes the server uses for authentication failures of a WebSocket. */
const WS_UNAUTHORIZED = new Set([4401, 4403]);

export class PortalDeskClient {
  private token: TokenSource;
  private readonly fetchImpl: typeof fetch;
  private ws: WsClient | null = null;
  /** `extensions` of the last HTTP response (e.g. the server's statement count in tests). */
  lastExtensions: Record<string, unknown> | null = null;

  constructor(private readonly options: ClientOptions) {
    this.token = options.token;
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
   */
  async request<R, V extends Record<string, unknown>>(document: TypedDocumentNode<R, V>, ...[variables]: VariablesArgs<V>): Promise<R> {
    const retries = this.options.rateLimitRetries ?? 2;
    const maxWait = this.options.maxRetryWaitSeconds ?? 30;
    for (let attempt = 0; ; attempt++) {
      const init = await this.httpRequest(document, variables);
      let response: Response;
      try {
        response = await this.fetchImpl(this.options.url, init);
      } catch (cause) {
        throw new NetworkError(`Cannot reach ${this.options.url}: ${(cause as Error).message}`, { code: "NETWORK_ERROR", cause });
      }
      try {
        return this.result<R>(response.status, await response.text());
      } catch (error) {
        // A JSON body can be sent again; a multipart upload's stream is spent.
        const resendable = typeof init.body === "string";
        if (!(error instanceof RateLimitedError) || !resendable || attempt >= retries || error.retryAfter > maxWait) throw error;
        await new Promise((resolve) => setTimeout(resolve, error.retryAfter * 1000));
      }
    }
  }

  /**
   * Like `request`, reporting how much of the request body was sent (for upload progress bars).
   * Browsers send it with XMLHttpRequest, the one API that reports upload progress; elsewhere it
   * falls back to `request` and reports once, at the end.
   */
  async requestWithProgress<R, V extends Record<string, unknown>>(document: TypedDocumentNode<R, V>, variables: V, onProgress: (sent: number, total: number) => void): Promise<R> {
    const init = await this.httpRequest(document, variables);
    const Xhr = (globalThis as { XMLHttpRequest?: typeof XMLHttpRequest }).XMLHttpRequest;
    if (!Xhr || (init as { duplex?: string }).duplex) {
      const data = await this.request(document, ...([variables] as unknown as VariablesArgs<V>));
      onProgress(1, 1);
      return data;
    }
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const xhr = new Xhr();
      xhr.open("POST", this.options.url);
      for (const [name, value] of Object.entries(init.headers as Record<string, string>)) xhr.setRequestHeader(name, value);
      xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : event.loaded);
      xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
      xhr.onerror = () => reject(new NetworkError(`Cannot reach ${this.options.url}`, { code: "NETWORK_ERROR" }));
      xhr.send(init.body as XMLHttpRequestBodyInit);
    });
    return this.result<R>(status, text);
  }

  /** The HTTP request for an operation: JSON, or a multipart request when the variables hold files. */
  private async httpRequest<V extends Record<string, unknown>>(document: TypedDocumentNode<unknown, V>, variables: V | undefined): Promise<RequestInit & { duplex?: "half" }> {
    const query = print(document);
    const operationName = document.definitions.find((d) => d.kind === "OperationDefinition")?.name?.value;
    const headers: Record<string, string> = {
      accept: "application/graphql-response+json, application/json",
      ...this.options.headers,
    };
    const token = await this.currentToken();
    if (token) headers.authorization = `Bearer ${token}`;
    const { clone, files } = extractFiles(variables ?? {});
    if (files.length > 0) {
      const multipart = multipartBody(JSON.stringify({ query, variables: clone, operationName }), files);
      // The server's CSRF prevention accepts multipart only with this header.
      headers["apollo-require-preflight"] = "true";
      Object.assign(headers, multipart.headers);
      return { method: "POST", headers, body: multipart.body, ...(multipart.streamed ? { duplex: "half" as const } : {}) };
    }
    headers["content-type"] = "application/json";
    return { method: "POST", headers, body: JSON.stringify({ query, variables: variables ?? {}, operationName }) };
  }

  /** `data` of a GraphQL response, or the typed error it carries. */
  private result<R>(status: number, text: string): R {
    let body: GraphQLResponse<R>;
    try {
      body = JSON.parse(text) as GraphQLResponse<R>;
    } catch {
      throw new NetworkError(`The server answered HTTP ${status} with something that is not JSON`, { code: "HTTP_ERROR", status });
    }
    this.lastExtensions = body.extensions ?? null;
    if (body.errors?.length) throw errorFromResponse(body.errors, status, body.data ?? null);
    if (!body.data) throw new NetworkError(`HTTP ${status} without data`, { code: "HTTP_ERROR", status });
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
      retryAttempts: 3,
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
  subscribe<R, V extends Record<string, unknown>>(document: TypedDocumentNode<R, V>, ...[variables]: VariablesArgs<V>): AsyncIterableIterator<R> {
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
      { query: print(document), variables: variables ?? {} },
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

export function createClient(options: ClientOptions): PortalDeskClient {
  return new PortalDeskClient(options);
}

// Requests as a client could send them, not as the SDK does: hand-built multipart bodies (missing
// files, odd part headers, cut-off bodies) and raw GraphQL posts, with the answer read as text.
import { SignInDocument, createClient, unwrap } from "@portaldesk/sdk";
import { toGlobalId } from "../../src/graphql/global-id.js";
import { PASSWORD } from "./harness.js";

/** A session token for `email` on the server at `serverUrl`, for requests built by hand. */
export async function sessionToken(serverUrl: string, email: string, password = PASSWORD): Promise<string> {
  return unwrap((await createClient({ url: `${serverUrl}/graphql` }).request(SignInDocument, { input: { email, password } })).signIn).token!;
}

export interface RawAnswer {
  status: number;
  text: string;
  body: { data?: unknown; errors?: Array<{ message: string; path?: string[]; extensions?: { code?: string } }> };
}

export interface Part {
  /** The multipart field name ("operations", "map", "0", …). */
  name: string;
  /** A file part's filename, inserted into the header as given (raw bytes, no escaping). */
  filename?: string;
  content: string | Buffer;
}

export const BOUNDARY = "----portaldesk-test-boundary";

/** A multipart/form-data body of `parts`; `end: false` leaves off the closing delimiter. */
export function multipart(parts: Part[], options: { end?: boolean } = {}): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename !== undefined ? `; filename="${part.filename}"` : ""}`;
    const type = part.filename !== undefined ? "\r\nContent-Type: application/octet-stream" : "";
    chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}${type}\r\n\r\n`, "latin1"));
    chunks.push(typeof part.content === "string" ? Buffer.from(part.content) : part.content);
    chunks.push(Buffer.from("\r\n"));
  }
  if (options.end !== false) chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

/** The operations and map fields of an upload mutation whose files sit at `paths`. */
export function uploadOperation(query: string, variables: Record<string, unknown>, paths: string[][]): Part[] {
  const map = Object.fromEntries(paths.map((p, i) => [String(i), p]));
  return [
    { name: "operations", content: JSON.stringify({ query, variables }) },
    { name: "map", content: JSON.stringify(map) },
  ];
}

export const UPLOAD_DOCUMENTS = "mutation($input: UploadDocumentsInput!) { uploadDocuments(input: $input) { documents { id filename } userErrors { code message field } } }";

/** A made-up but well-formed administration id. */
export const SOME_ADMINISTRATION = toGlobalId("Administration", "00000000-0000-4000-8000-000000000000");

export async function post(url: string, body: Buffer | string, headers: Record<string, string>, signal?: AbortSignal): Promise<RawAnswer> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "apollo-require-preflight": "1", "accept-language": "en", ...headers },
    body: typeof body === "string" ? body : new Uint8Array(body),
    signal,
  });
  const text = await response.text();
  let parsed: RawAnswer["body"] = {};
  try {
    parsed = JSON.parse(text) as RawAnswer["body"];
  } catch {
    // the assertions on `text` tell
  }
  return { status: response.status, text, body: parsed };
}

export function postMultipart(url: string, body: Buffer, token?: string | null): Promise<RawAnswer> {
  return post(url, body, { "content-type": `multipart/form-data; boundary=${BOUNDARY}`, ...(token ? { authorization: `Bearer ${token}` } : {}) });
}

/** Asserts nothing of the server's insides leaks into an answer. */
export function leaksInternals(text: string): boolean {
  return /\bat .*\.(ts|js|mjs):\d+|stacktrace|node_modules|SELECT |INSERT |Internal server error/i.test(text);
}

// The GraphQL multipart request (uploads) at the HTTP boundary: refused at once when it cannot be
// a multipart body (no boundary), parsed by graphql-upload, every parser failure answered as a 400,
// and each file's name kept exactly as the client sent it.
//
// The multipart parser (busboy, inside graphql-upload) reduces every filename to its base name, so
// "../../etc/passwd.pdf" would quietly arrive as "passwd.pdf". To refuse such names with a clear
// error instead, a passive listener on the request bytes (it neither consumes nor delays them)
// records each file part's filename as sent, and the spec's `map` field; after parsing, each
// Upload placeholder in the variables is tied to its part's raw name, wherever the variable sits.
import type { NextFunction, Request, RequestHandler, Response } from "express";
import graphqlUploadExpress from "graphql-upload/graphqlUploadExpress.mjs";
import type { IncomingMessage } from "node:http";
import { isUpload, recordRawFilename } from "../graphql/upload.js";

const MAX_HEADER_BYTES = 16 * 1024;
const MAX_MAP_BYTES = 1024 * 1024;

interface RawPartNames {
  /** The filename the client sent in the part of multipart field `field`. */
  filenameOf(field: string): string | undefined;
  /** The spec's `map` field as sent (field name → variable paths), once it has passed. */
  map(): Record<string, unknown> | null;
  /** The `operations` field as sent, before the parser put files into it (null when unreadable). */
  operations(): unknown;
}

type State = "search" | "afterDelimiter" | "headers" | "done";

function dispositionParams(headers: string): { name?: string; filename?: string } {
  const line = headers.split("\r\n").find((l) => /^content-disposition:/i.test(l));
  if (!line) return {};
  const param = (key: string) => {
    const quoted = new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, "i").exec(line);
    if (quoted) return quoted[1]!.replace(/\\(.)/g, "$1");
    const bare = new RegExp(`;\\s*${key}=([^;\\s]+)`, "i").exec(line);
    return bare?.[1];
  };
  const extended = /;\s*filename\*=(?:UTF-8|utf-8)''([^;\s]+)/.exec(line);
  let filename = param("filename");
  if (extended) {
    try {
      filename = decodeURIComponent(extended[1]!);
    } catch {
      // keep the plain one
    }
  }
  return { name: param("name"), filename };
}

/** Starts watching `req` (a multipart request with this boundary); returns what it has learned so far, at any time. */
function watchPartNames(req: IncomingMessage, boundary: string): RawPartNames {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const filenames = new Map<string, string>();
  let mapJson: string | null = null;
  let operationsJson: string | null = null;

  let state: State = "search";
  // The stream begins with "--boundary" (no CRLF before it): pretend there was one.
  let pending: Buffer = Buffer.from("\r\n");
  let headerBytes: Buffer[] = [];
  let currentName: string | undefined;
  let capture: Buffer[] | null = null;
  let captured = 0;

  const onData = (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length > 0 && state !== "done") {
      if (state === "search") {
        const at = pending.indexOf(delimiter);
        if (at === -1) {
          // Keep the tail that could be the start of a delimiter split across chunks.
          const keep = Math.min(pending.length, delimiter.length - 1);
          if (capture && captured < MAX_MAP_BYTES) {
            capture.push(pending.subarray(0, pending.length - keep));
            captured += pending.length - keep;
          }
          pending = Buffer.from(pending.subarray(pending.length - keep));
          return;
        }
        if (capture) {
          capture.push(pending.subarray(0, at));
          if (currentName === "map") mapJson = Buffer.concat(capture).toString("utf8");
          else operationsJson = Buffer.concat(capture).toString("utf8");
          capture = null;
        }
        pending = pending.subarray(at + delimiter.length);
        state = "afterDelimiter";
      } else if (state === "afterDelimiter") {
        if (pending.length < 2) return;
        const marker = pending.subarray(0, 2).toString("latin1");
        pending = pending.subarray(2);
        state = marker === "--" ? "done" : "headers";
        headerBytes = [];
      } else if (state === "headers") {
        const joined = Buffer.concat([...headerBytes, pending]);
        const end = joined.indexOf("\r\n\r\n");
        if (end === -1) {
          if (joined.length > MAX_HEADER_BYTES) state = "done"; // not our problem: the parser will refuse it
          headerBytes = [joined];
          pending = Buffer.alloc(0);
          return;
        }
        const { name, filename } = dispositionParams(joined.subarray(0, end).toString("utf8"));
        currentName = name;
        if (name !== undefined && filename !== undefined) filenames.set(name, filename);
        capture = name === "map" || name === "operations" ? [] : null;
        captured = 0;
        pending = joined.subarray(end + 4);
        state = "search";
      }
    }
  };
  req.on("data", onData);
  req.once("end", () => req.off("data", onData));

  let parsedMap: Record<string, unknown> | null | undefined;
  return {
    filenameOf: (field) => filenames.get(field),
    operations() {
      try {
        return operationsJson === null ? null : (JSON.parse(operationsJson) as unknown);
      } catch {
        return null;
      }
    },
    map() {
      if (parsedMap === undefined && mapJson !== null) {
        try {
          const value = JSON.parse(mapJson) as unknown;
          parsedMap = value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
        } catch {
          parsedMap = null; // malformed: graphql-upload refuses the request itself
        }
      }
      return parsedMap ?? null;
    },
  };
}

const BOUNDARY = /;\s*boundary=(?:"([^"]{1,70})"|([^;\s"]{1,70}))/i;

/** A 400 in the API's error shape, sent at once; the connection closes after it, so an unread body cannot hold it open. */
function refuse(res: Response, message: string): void {
  res.setHeader("Connection", "close");
  res.status(400).json({ errors: [{ message, extensions: { code: "BAD_REQUEST" } }] });
}

/** The parser's own failures (busboy's "Unexpected end of form", "Malformed part header", …) are the client's: a 400. */
function asBadRequest(error: unknown): unknown {
  const status = (error as { status?: number }).status;
  if (status && status < 500) return error;
  const message = error instanceof Error ? error.message : String(error);
  return Object.assign(new Error(`The multipart request is malformed: ${message}`), { status: 400, expose: true });
}

/** The value at a dotted variables path of the spec's `map` ("variables.input.files.0"). */
function valueAt(root: unknown, path: string): unknown {
  let value = root;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** The middleware chain for /graphql multipart requests; other requests pass untouched. */
export function multipartUploads(limits: { maxFileSize: number; maxFiles: number }): RequestHandler {
  const parse = graphqlUploadExpress(limits);
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.is("multipart/form-data")) return next();
    const boundary = BOUNDARY.exec(req.headers["content-type"] ?? "");
    if (!boundary) {
      req.resume();
      return refuse(res, "A multipart request needs a boundary in its Content-Type (GraphQL multipart request spec)");
    }
    const names = watchPartNames(req, boundary[1] ?? boundary[2]!);
    parse(req, res, (error?: unknown) => {
      if (error) return next(asBadRequest(error));
      // The spec's map points at nulls the client put into operations; a path to anywhere else
      // (say files.99999999, which would grow a list of that length) is refused.
      const sent = names.operations();
      for (const paths of Object.values(names.map() ?? {})) {
        for (const path of Array.isArray(paths) ? paths : []) {
          if (typeof path !== "string" || valueAt(sent, path) !== null) {
            return refuse(res, `The multipart map names ${JSON.stringify(String(path).slice(0, 100))}, which is not a null in operations (GraphQL multipart request spec)`);
          }
        }
      }
      for (const [field, paths] of Object.entries(names.map() ?? {})) {
        if (!Array.isArray(paths)) continue;
        for (const path of paths) {
          const upload = typeof path === "string" ? valueAt(req.body, path) : undefined;
          if (isUpload(upload)) recordRawFilename(upload, () => names.filenameOf(field));
        }
      }
      next();
    });
  };
}

// The multipart parser (busboy, inside graphql-upload) reduces every filename to its base name, so
// "../../etc/passwd.pdf" would quietly arrive as "passwd.pdf". To refuse such names with a clear
// error instead, this watches the request bytes as they pass (a passive listener: it neither
// consumes nor delays them) and records each file part's filename exactly as the client sent it,
// plus the spec's `map` field that tells which variable each part fills.
import type { IncomingMessage } from "node:http";

const MAX_HEADER_BYTES = 16 * 1024;
const MAX_MAP_BYTES = 1024 * 1024;

export interface RawUploadNames {
  /** The filename the client sent for the file that fills `variablePath` (e.g. "variables.input.files.0"). */
  filenameFor(variablePath: string): string | undefined;
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

/** Starts watching `req` (a multipart request); returns what it has learned so far, at any time. */
export function watchMultipartFilenames(req: IncomingMessage): RawUploadNames | null {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(req.headers["content-type"] ?? "");
  if (!boundary) return null;
  const delimiter = Buffer.from(`\r\n--${boundary[1] ?? boundary[2]}`);
  const filenames = new Map<string, string>();
  let mapJson: string | null = null;

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
        capture = name === "map" ? [] : null;
        captured = 0;
        pending = joined.subarray(end + 4);
        state = "search";
      }
    }
  };
  req.on("data", onData);
  req.once("end", () => req.off("data", onData));

  let variablesByField: Map<string, string> | null = null;
  return {
    filenameFor(variablePath) {
      if (!variablesByField && mapJson) {
        variablesByField = new Map();
        try {
          for (const [field, paths] of Object.entries(JSON.parse(mapJson) as Record<string, string[]>)) {
            for (const path of paths) variablesByField.set(path, field);
          }
        } catch {
          // malformed map: graphql-upload refuses the request itself
        }
      }
      const field = variablesByField?.get(variablePath);
      return field === undefined ? undefined : filenames.get(field);
    },
  };
}

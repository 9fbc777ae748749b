// The multipart-spec `Upload` scalar. graphql-upload's own scalar hands resolvers its raw file
// promise; every `.then` a resolver puts on it is a new promise that rejects, unhandled, when the
// file never arrives (a `map` entry without its part, a broken body) — and Node ends the process on
// an unhandled rejection. This scalar hands out one promise per upload that is already handled,
// so a service may await it late or never; and it carries the filename exactly as the client sent
// it (busboy reduces "../../x.pdf" to "x.pdf"), so the file rules judge the real name.
import { GraphQLError, GraphQLScalarType } from "graphql";
import Upload from "graphql-upload/Upload.mjs";
import type { IncomingFile } from "../core/incoming-file.js";

const rawFilenames = new WeakMap<Upload, () => string | undefined>();

/** Called by the HTTP layer: `upload`'s filename as it stood in the request's part header. */
export function recordRawFilename(upload: Upload, filename: () => string | undefined): void {
  rawFilenames.set(upload, filename);
}

/** Whether `value` is a file placeholder the multipart parser put into the operation's variables. */
export function isUpload(value: unknown): value is Upload {
  return value instanceof Upload;
}

function arrival(upload: Upload): Promise<IncomingFile> {
  const file = upload.promise.then((f) => ({ filename: rawFilenames.get(upload)?.() ?? f.filename, createReadStream: () => f.createReadStream() }));
  // Handled here once: the service that awaits it still sees the failure.
  file.catch(() => undefined);
  return file;
}

export const GraphQLUpload = new GraphQLScalarType<Promise<IncomingFile>, never>({
  name: "Upload",
  description: "The `Upload` scalar type represents a file upload.",
  parseValue(value) {
    if (value instanceof Upload) return arrival(value);
    throw new GraphQLError("Upload value invalid: send files as a multipart request (GraphQL multipart request spec)");
  },
  parseLiteral(node) {
    throw new GraphQLError("Upload literal unsupported: send files as multipart request variables", { nodes: node });
  },
  serialize() {
    throw new GraphQLError("Upload serialization unsupported.");
  },
});

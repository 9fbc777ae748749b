// File uploads by the GraphQL multipart request spec: Blob/File in the browser; in Node also
// buffers and streams, sent as a streamed body so a large file is never held in memory.

export type UploadSource = Blob | Uint8Array | ArrayBuffer | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/** What an `Upload` variable takes: a browser File/Blob, or `upload(buffer | stream, …)`. */
export type Uploadable = Blob | FileUpload;

/** A file to upload, with the name and type the server should be told. */
export class FileUpload {
  constructor(
    readonly source: UploadSource,
    readonly filename: string,
    readonly contentType: string = "application/octet-stream",
  ) {}
}

/**
 * Wraps a buffer or stream (or a Blob, to rename it) as an upload.
 * @example upload(fs.createReadStream("scan.pdf"), { filename: "scan.pdf", contentType: "application/pdf" })
 */
export function upload(source: UploadSource, options: { filename: string; contentType?: string }): FileUpload {
  return new FileUpload(source, options.filename, options.contentType ?? (isBlob(source) && source.type ? source.type : undefined));
}

function isBlob(value: unknown): value is Blob {
  return typeof Blob !== "undefined" && value instanceof Blob;
}

type FileValue = FileUpload | Blob;

/** Replaces every file in `variables` by null and lists where each was (spec's `map`). */
/** @internal */
export function extractFiles(variables: unknown): { clone: unknown; files: Array<{ file: FileValue; paths: string[] }> } {
  const found = new Map<FileValue, string[]>();
  const walk = (value: unknown, path: string): unknown => {
    if (value instanceof FileUpload || isBlob(value)) {
      const paths = found.get(value) ?? [];
      paths.push(path);
      found.set(value, paths);
      return null;
    }
    if (Array.isArray(value)) return value.map((item, index) => walk(item, `${path}.${index}`));
    if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, `${path}.${key}`)]));
    }
    return value;
  };
  const clone = walk(variables, "variables");
  return { clone, files: [...found].map(([file, paths]) => ({ file, paths })) };
}

function blobOf(file: FileValue): Blob | null {
  if (isBlob(file)) return file;
  const { source, contentType } = file;
  if (isBlob(source)) return source;
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) return new Blob([source as BlobPart], { type: contentType });
  return null; // a stream
}

function nameOf(file: FileValue): string {
  if (file instanceof FileUpload) return file.filename;
  return (file as File).name ?? "blob";
}

function typeOf(file: FileValue): string {
  if (file instanceof FileUpload) return file.contentType;
  return file.type || "application/octet-stream";
}

async function* chunksOf(source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (Symbol.asyncIterator in source) {
    for await (const chunk of source as AsyncIterable<Uint8Array>) yield chunk;
    return;
  }
  const reader = (source as ReadableStream<Uint8Array>).getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

const quote = (value: string) => value.replace(/["\\\r\n]/g, (c) => encodeURIComponent(c));

/** @internal */
export interface MultipartBody {
  body: FormData | ReadableStream<Uint8Array>;
  /** Headers to add (the content type of a streamed body). */
  headers: Record<string, string>;
  /** A streamed body needs `duplex: "half"` in fetch. */
  streamed: boolean;
}

/** The multipart request: FormData when every file is a Blob, else a streamed body. */
/** @internal */
export function multipartBody(operations: string, files: Array<{ file: FileValue; paths: string[] }>): MultipartBody {
  const map = JSON.stringify(Object.fromEntries(files.map(({ paths }, index) => [String(index), paths])));
  const blobs = files.map(({ file }) => blobOf(file));
  if (blobs.every((b) => b !== null)) {
    const form = new FormData();
    form.append("operations", operations);
    form.append("map", map);
    files.forEach(({ file }, index) => form.append(String(index), blobs[index]!, nameOf(file)));
    return { body: form, headers: {}, streamed: false };
  }
  const boundary = `----portaldesk${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`;
  const encoder = new TextEncoder();
  async function* parts(): AsyncGenerator<Uint8Array> {
    yield encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\nContent-Type: application/json\r\n\r\n${operations}\r\n`);
    yield encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="map"\r\nContent-Type: application/json\r\n\r\n${map}\r\n`);
    for (const [index, { file }] of files.entries()) {
      yield encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${index}"; filename="${quote(nameOf(file))}"\r\nContent-Type: ${typeOf(file)}\r\n\r\n`);
      const blob = blobs[index];
      if (blob) yield* chunksOf(blob.stream() as ReadableStream<Uint8Array>);
      else yield* chunksOf((file as FileUpload).source as ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>);
      yield encoder.encode("\r\n");
    }
    yield encoder.encode(`--${boundary}--\r\n`);
  }
  const iterator = parts();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await iterator.return(undefined);
    },
  });
  return { body, headers: { "content-type": `multipart/form-data; boundary=${boundary}` }, streamed: true };
}

import type { Readable } from "node:stream";

/** One uploaded file as the transport hands it to a service: its name as the client sent it, and its bytes. */
export interface IncomingFile {
  filename: string;
  /** May throw when the request broke off before the file arrived. */
  createReadStream: () => Readable;
}

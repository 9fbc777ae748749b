// Opaque global IDs: base64url of "Type:uuid". Clients must not parse them.
import { BadInputError, NotFoundError } from "../core/errors.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function toGlobalId(type: string, id: string): string {
  return Buffer.from(`${type}:${id}`).toString("base64url");
}

export function parseGlobalId(globalId: string): { type: string; id: string } {
  const decoded = Buffer.from(String(globalId), "base64url").toString("utf8");
  const separator = decoded.indexOf(":");
  const type = decoded.slice(0, separator);
  const id = decoded.slice(separator + 1);
  if (separator <= 0 || !UUID.test(id) || !/^[A-Za-z]+$/.test(type)) {
    throw new BadInputError(`"${String(globalId).slice(0, 100)}" is not a valid ID`);
  }
  return { type, id: id.toLowerCase() };
}

/** The uuid inside `globalId`, which must name an object of `type` (else NOT_FOUND). */
export function fromGlobalId(globalId: string, type: string): string {
  const parsed = parseGlobalId(globalId);
  if (parsed.type !== type) throw new NotFoundError(type);
  return parsed.id;
}

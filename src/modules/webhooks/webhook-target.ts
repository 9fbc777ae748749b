// Where a webhook may be sent: the SSRF guard. Every address a host resolves to is checked when
// the message is sent (not only when the webhook is made: DNS can change), and the connection is
// made to the address checked, so a second lookup cannot swap in another.
import dns from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";
import type { Localized } from "../../core/language.js";

const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4],
] as const) {
  BLOCKED.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["ff00::", 8], // multicast
  ["64:ff9b::", 96], // NAT64 of any IPv4 address, private ones included
] as const) {
  BLOCKED.addSubnet(network, prefix, "ipv6");
}

/** Whether `address` is private, loopback, link-local or otherwise not on the public internet. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return BLOCKED.check(mapped[1]!, "ipv4");
  const family = isIP(address);
  if (family === 0) return true;
  return BLOCKED.check(address, family === 4 ? "ipv4" : "ipv6");
}

export class BlockedTargetError extends Error {
  readonly code = "WEBHOOK_TARGET_PRIVATE";
}

/** What is wrong with `url` as a webhook's target, or null (literal addresses checked; names are checked when sent). */
export function targetProblem(url: string, allowPrivate: boolean): Localized | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { en: "The URL is not a valid absolute URL", nl: "De URL is geen geldige absolute URL" };
  }
  if (parsed.protocol !== "https:" && !(allowPrivate && parsed.protocol === "http:")) return { en: "The URL must start with https://", nl: "De URL moet beginnen met https://" };
  if (parsed.username || parsed.password) return { en: "The URL must not contain a user name or password", nl: "De URL mag geen gebruikersnaam of wachtwoord bevatten" };
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  if (!allowPrivate && (host === "localhost" || host.endsWith(".localhost") || (isIP(host) !== 0 && isPrivateAddress(host)))) {
    return { en: "The URL points to a private, loopback or link-local address", nl: "De URL verwijst naar een privé-, loopback- of link-local-adres" };
  }
  return null;
}

/** A `lookup` for http.request that refuses private addresses (unless allowed). */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { all: true, family: options.family ?? 0 }, (error, addresses) => {
      if (error) return callback(error, "", 0);
      const blocked = allowPrivate ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (blocked) return callback(new BlockedTargetError(`${hostname} resolves to ${blocked.address}, a private address`), "", 0);
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/** Refuses a literal private address (the lookup is not asked for those). */
export function assertLiteralAllowed(hostname: string, allowPrivate: boolean): void {
  const host = hostname.replace(/^\[|\]$/g, "");
  if (!allowPrivate && isIP(host) !== 0 && isPrivateAddress(host)) throw new BlockedTargetError(`${host} is a private address`);
}

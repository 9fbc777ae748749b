// The client's address as throttling, audit and sessions see it. Behind a load balancer every
// request comes from the balancer; X-Forwarded-For names the client, but anyone can send that
// header, so it is believed only from the proxies TRUST_PROXY names (a hop count, or addresses and
// subnets) — never by default. HTTP (Express's `trust proxy`) and WebSocket use the same rule.
import type http from "node:http";
import proxyAddr from "proxy-addr";

export type TrustProxy = (address: string, hop: number) => boolean;

/** The trust rule of a TRUST_PROXY value ("" none, "2" two hops, "loopback, 10.0.0.0/8" those). */
export function trustProxy(setting: string): TrustProxy {
  if (setting === "" || setting === "false") return () => false;
  if (/^\d+$/.test(setting)) {
    const hops = Number(setting);
    return (_address, hop) => hop < hops;
  }
  return proxyAddr.compile(
    setting
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean),
  );
}

/** The client's address for `req` under `trust`. */
export function clientAddress(req: http.IncomingMessage, trust: TrustProxy): string {
  return proxyAddr(req, trust) || (req.socket.remoteAddress ?? "unknown");
}

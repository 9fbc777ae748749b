// In-memory certificates for the Digipoort simulator: a CA standing in for PKIoverheid, a server
// certificate for 127.0.0.1/localhost (which also signs the simulator's answers) and a client
// certificate (TLS and WS-Security signatures), both signed by that CA.
import crypto from "node:crypto";
import { generate } from "selfsigned";

export interface PemPair {
  cert: string;
  key: string;
}

export interface SimulatorCertificates {
  ca: PemPair;
  server: PemPair;
  client: PemPair;
}

// RSA, as PKIoverheid certificates are (and as WS-Security's RSA-SHA1/SHA256 signatures need);
// every simulator gets its own CA, so no two simulators trust each other's clients.
const KEY = { keyType: "rsa", keySize: 2048, algorithm: "sha256" } as const;

export async function createSimulatorCertificates(host: string): Promise<SimulatorCertificates> {
  const notBeforeDate = new Date(Date.now() - 60_000); // tolerate small clock differences
  // Long enough for a development server that runs for months; this CA is trusted by nothing else.
  const notAfterDate = new Date(Date.now() + 10 * 365 * 24 * 3600_000);
  // A distinct name per CA, so that certificates of two simulators never look like each other's.
  const caName = `PortalDesk Digipoort Simulator CA ${crypto.randomUUID().slice(0, 8)}`;
  const ca = await generate([{ name: "commonName", value: caName }], {
    ...KEY,
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
    // selfsigned signs this client certificate with the CA key generated above.
    clientCertificate: { cn: "PortalDesk simulator client", ...KEY, notBeforeDate, notAfterDate },
  });
  const server = await generate([{ name: "commonName", value: host }], {
    ...KEY,
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }, { type: 7, ip: "::1" }, { type: 2, value: "localhost" }, ...hostAltName(host)] },
    ],
  });
  if (!ca.clientcert || !ca.clientprivate) throw new Error("selfsigned did not return the client certificate");
  return {
    ca: { cert: ca.cert, key: ca.private },
    server: { cert: server.cert, key: server.private },
    client: { cert: ca.clientcert, key: ca.clientprivate },
  };
}

function hostAltName(host: string): Array<{ type: 2; value: string } | { type: 7; ip: string }> {
  if (host === "127.0.0.1" || host === "::1" || host === "localhost") return [];
  return /^[\d.]+$|:/.test(host) ? [{ type: 7, ip: host }] : [{ type: 2, value: host }];
}

const shared = new Map<string, Promise<SimulatorCertificates>>();

/**
 * One set per host for the whole process: RSA keys take a while to make, and every server start (in
 * tests, many) runs a simulator. Tests that need a stranger call createSimulatorCertificates.
 */
export function sharedSimulatorCertificates(host: string): Promise<SimulatorCertificates> {
  let certificates = shared.get(host);
  if (!certificates) {
    certificates = createSimulatorCertificates(host);
    shared.set(host, certificates);
    certificates.catch(() => shared.delete(host));
  }
  return certificates;
}

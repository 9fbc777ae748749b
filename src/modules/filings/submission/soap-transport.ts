// One SOAP call over HTTPS with a client certificate, with failures sorted into GatewayErrors that
// say whether trying again is safe. Every call opens its own connection: Digipoort calls are rare,
// and a fresh connection lets us tell "refused during the TLS handshake" from "lost after sending".
import https from "node:https";
import type { TLSSocket } from "node:tls";
import { GatewayError } from "./gateway.js";

export interface TlsCredentials {
  /** PEM client certificate (PKIoverheid in production), optionally followed by its chain. */
  cert: string | Buffer;
  key: string | Buffer;
  passphrase?: string;
  /** Trusted roots for the server certificate; Node's default roots when absent. */
  ca?: string | Buffer | Array<string | Buffer>;
}

export interface SoapCall {
  url: string;
  soapAction: string;
  envelope: string;
  tls: TlsCredentials;
  timeoutMs: number;
  /** False for a call that changes state at the far end (aanleveren): losing its answer leaves the outcome unknown. */
  idempotent: boolean;
}

export interface SoapReply {
  httpStatus: number;
  body: string;
}

/** Where the exchange had got to when it failed. */
type Progress = "connecting" | "handshaking" | "sending" | "sent";

// OpenSSL's verdicts on the server's certificate chain, as Node reports them.
const SERVER_CERTIFICATE_ERRORS = new Set([
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_DECRYPT_CERT_SIGNATURE",
  "UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY",
  "CERT_SIGNATURE_FAILURE",
  "CERT_NOT_YET_VALID",
  "CERT_HAS_EXPIRED",
  "ERROR_IN_CERT_NOT_BEFORE_FIELD",
  "ERROR_IN_CERT_NOT_AFTER_FIELD",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "CERT_CHAIN_TOO_LONG",
  "CERT_REVOKED",
  "INVALID_CA",
  "PATH_LENGTH_EXCEEDED",
  "INVALID_PURPOSE",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "HOSTNAME_MISMATCH",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

export function postSoap(call: SoapCall): Promise<SoapReply> {
  return new Promise<SoapReply>((resolve, reject) => {
    let connected = false;
    let secured = false;
    let fullyWritten = false;
    const progress = (): Progress => (!connected ? "connecting" : !secured ? "handshaking" : !fullyWritten ? "sending" : "sent");
    let settled = false;
    const fail = (error: GatewayError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      reject(error);
    };

    let request: ReturnType<typeof https.request>;
    try {
      request = https.request(call.url, {
        method: "POST",
        agent: false,
        cert: call.tls.cert,
        key: call.tls.key,
        passphrase: call.tls.passphrase,
        ca: call.tls.ca,
        headers: {
          "Content-Type": "text/xml; charset=utf-8",
          SOAPAction: `"${call.soapAction}"`,
          "Content-Length": Buffer.byteLength(call.envelope),
        },
      });
    } catch (error) {
      reject(new GatewayError(`Cannot set up the HTTPS call to ${call.url}: ${messageOf(error)}`, "TLS_CONFIGURATION", false));
      return;
    }

    const timer = setTimeout(() => fail(timeoutError(call, progress())), call.timeoutMs);
    request.on("socket", (socket) => {
      socket.once("connect", () => (connected = true));
      (socket as TLSSocket).once("secureConnect", () => (secured = true));
    });
    request.on("finish", () => (fullyWritten = true));
    request.on("error", (error) => fail(transportError(call, error as NodeJS.ErrnoException, progress())));
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", (error) => fail(transportError(call, error as NodeJS.ErrnoException, "sent")));
      response.on("end", () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ httpStatus: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") });
      });
    });
    request.end(call.envelope);
  });
}

function transportError(call: SoapCall, error: NodeJS.ErrnoException, progress: Progress): GatewayError {
  const code = error.code ?? "";
  const detail = `${call.url}: ${error.message}`;
  if (code.startsWith("ERR_OSSL") || /PEM|bad decrypt/i.test(error.message)) {
    return new GatewayError(`Our client certificate or key cannot be used (${detail})`, "TLS_CONFIGURATION", false);
  }
  if (SERVER_CERTIFICATE_ERRORS.has(code)) {
    return new GatewayError(`The gateway's server certificate is not trusted (${detail})`, "TLS_SERVER_UNTRUSTED", false);
  }
  if (code === "EPROTO" || (code.startsWith("ERR_SSL") && /alert/i.test(error.message))) {
    return new GatewayError(`The gateway refused our TLS client certificate (${detail})`, "TLS_CLIENT_REJECTED", false);
  }
  switch (progress) {
    case "connecting":
      return new GatewayError(`The gateway cannot be reached (${detail})`, "UNREACHABLE", true);
    case "handshaking":
      // A server that checks client certificates after the handshake messages (Node's does) simply hangs
      // up on one it does not accept; a network failure at exactly this moment is much less likely.
      return new GatewayError(`The gateway closed the connection during the TLS handshake; check the client certificate (${detail})`, "TLS_HANDSHAKE_ABORTED", false);
    case "sending":
      return new GatewayError(`The connection to the gateway broke before the request was sent (${detail})`, "CONNECTION_LOST", true);
    case "sent":
      return lostAfterSending(call, detail);
  }
}

function timeoutError(call: SoapCall, progress: Progress): GatewayError {
  const detail = `${call.url}: no answer within ${call.timeoutMs} ms`;
  if (progress === "sent") return lostAfterSending(call, detail);
  return new GatewayError(`The gateway did not respond (${detail})`, "TIMEOUT", true);
}

function lostAfterSending(call: SoapCall, detail: string): GatewayError {
  if (!call.idempotent) {
    return new GatewayError(
      `The message was sent but its answer was lost; it may or may not have arrived, so it must not simply be sent again (${detail})`,
      "SUBMISSION_OUTCOME_UNKNOWN",
      false,
    );
  }
  return new GatewayError(`The answer from the gateway was lost (${detail})`, "CONNECTION_LOST", true);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

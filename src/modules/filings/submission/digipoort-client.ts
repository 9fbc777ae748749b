// The real Digipoort client: AanleverService.aanleveren and StatusinformatieService.getStatussenProces
// (WUS 2.0, koppelvlak 1.2), SOAP 1.1 with WS-Addressing, over HTTPS with a client certificate,
// every request signed (WS-Security) and every answer's signature checked before it is believed.
import type { FilingGateway, GatewayStatus, SubmissionReceipt, SubmissionRequest } from "./gateway.js";
import { GatewayError } from "./gateway.js";
import { postSoap, type SoapReply, type TlsCredentials } from "./soap-transport.js";
import {
  ACTIONS,
  ADDRESSING_NAMESPACE,
  BERICHTSOORTEN,
  KOPPELVLAK_NAMESPACE,
  LIMITS,
  NO_AUTHORISATION_ADDRESS,
  SOAP_NAMESPACE,
  TAXPAYER_IDENTITY_TYPE,
  XBRL_MIME_TYPE,
  element,
  newMessageId,
  soapEnvelope,
  taxpayerIdentityNumber,
} from "./wus-protocol.js";
import { type MessageSigner, type SignatureCheck, signEnvelope, verifyEnvelope, WSSE_NAMESPACE, WsSecurityError } from "./ws-security.js";
import { childNamed, childText, childrenNamed, parseXml, type XmlElement } from "../../../core/xml-tree.js";

export interface DigipoortClientOptions {
  /** The AanleverService endpoint, e.g. https://wus.digipoort.logius.nl/wus/2.0/aanleverservice/1.2 */
  submitUrl: string;
  /** The StatusinformatieService endpoint, e.g. …/wus/2.0/statusinformatieservice/1.2 */
  statusUrl: string;
  /** PEM client certificate (PKIoverheid services certificate in production) and its key. */
  cert: string | Buffer;
  key: string | Buffer;
  passphrase?: string;
  /** Roots trusted for Digipoort's server certificate; Node's defaults when absent. */
  ca?: string | Buffer | Array<string | Buffer>;
  timeoutMs: number;
  /** rolBelanghebbende: "Bedrijf" (the default, what the packages we compared with send) or "Intermediair". */
  role?: string;
  /** Signs every request (WS-Security): in production the same key and certificate as for TLS. */
  signer: MessageSigner;
  /** What Digipoort's signed answers are checked against: its signing certificate's authorities, the clock skew. */
  answers: SignatureCheck;
}

export class DigipoortClient implements FilingGateway {
  private readonly tls: TlsCredentials;

  constructor(private readonly options: DigipoortClientOptions) {
    this.tls = { cert: options.cert, key: options.key, passphrase: options.passphrase, ca: options.ca };
  }

  async submit(request: SubmissionRequest): Promise<SubmissionReceipt> {
    checkSubmission(request);
    const identity = taxpayerIdentityNumber(request.taxpayerVatNumber);
    const body = [
      `<aanleverRequest xmlns="${KOPPELVLAK_NAMESPACE}">`,
      element("berichtsoort", BERICHTSOORTEN[request.kind]),
      element("aanleverkenmerk", request.senderReference),
      `<identiteitBelanghebbende>${element("nummer", identity)}${element("type", TAXPAYER_IDENTITY_TYPE)}</identiteitBelanghebbende>`,
      element("rolBelanghebbende", this.options.role ?? "Bedrijf"),
      `<berichtInhoud>${element("mimeType", XBRL_MIME_TYPE)}${element("bestandsnaam", request.filename)}`,
      element("inhoud", Buffer.from(request.xbrl, "utf8").toString("base64")),
      `</berichtInhoud>`,
      element("autorisatieAdres", NO_AUTHORISATION_ADDRESS),
      `</aanleverRequest>`,
    ].join("");
    const response = await this.call(this.options.submitUrl, ACTIONS.aanleverenRequest, body, false);
    const answer = childNamed(response, "aanleverResponse", KOPPELVLAK_NAMESPACE);
    const reference = answer && childText(answer, "kenmerk", KOPPELVLAK_NAMESPACE);
    const submittedAt = answer && parseTimestamp(childText(answer, "tijdstempelAangeleverd", KOPPELVLAK_NAMESPACE));
    if (!reference || !submittedAt) {
      throw new GatewayError("Digipoort answered the submission without a readable kenmerk; it may have been accepted", "SUBMISSION_OUTCOME_UNKNOWN", false);
    }
    return { reference, submittedAt };
  }

  async statuses(reference: string): Promise<GatewayStatus[]> {
    if (reference.length === 0 || reference.length > LIMITS.kenmerk) {
      throw new GatewayError(`Invalid status request: a kenmerk has 1–${LIMITS.kenmerk} characters`, "INVALID_REQUEST", false);
    }
    const body = [
      `<getStatussenProcesRequest xmlns="${KOPPELVLAK_NAMESPACE}">`,
      element("kenmerk", reference),
      element("autorisatieAdres", NO_AUTHORISATION_ADDRESS),
      `</getStatussenProcesRequest>`,
    ].join("");
    const response = await this.call(this.options.statusUrl, ACTIONS.getStatussenProcesRequest, body, true);
    const answer = childNamed(response, "getStatussenProcesResponse", KOPPELVLAK_NAMESPACE);
    const list = answer && childNamed(answer, "getStatussenProcesReturn", KOPPELVLAK_NAMESPACE);
    if (!list) throw new GatewayError("Digipoort's status answer has no getStatussenProcesReturn", "INVALID_RESPONSE", false);
    const statuses = childrenNamed(list, "StatusResultaat", KOPPELVLAK_NAMESPACE).map(statusOf);
    return statuses.sort((a, b) => a.at.getTime() - b.at.getTime());
  }

  /** Posts one request and returns the SOAP Body of a successful answer; faults and transport failures become GatewayErrors. */
  private async call(url: string, action: string, body: string, idempotent: boolean): Promise<XmlElement> {
    const messageId = newMessageId();
    const envelope = signEnvelope(soapEnvelope({ action, to: url, messageId }, body), this.options.signer);
    const reply = await postSoap({ url, soapAction: action, envelope, tls: this.tls, timeoutMs: this.options.timeoutMs, idempotent });
    return soapBodyOf(reply, messageId, idempotent, this.options.answers);
  }
}

function checkSubmission(request: SubmissionRequest): void {
  const invalid = (reason: string): GatewayError => new GatewayError(`Invalid submission: ${reason}`, "INVALID_REQUEST", false);
  if (request.senderReference.length === 0 || request.senderReference.length > LIMITS.aanleverkenmerk) {
    throw invalid(`senderReference must be 1–${LIMITS.aanleverkenmerk} characters`);
  }
  if (request.filename.length === 0 || request.filename.length > LIMITS.bestandsnaam) throw invalid(`filename must be 1–${LIMITS.bestandsnaam} characters`);
  const identity = taxpayerIdentityNumber(request.taxpayerVatNumber);
  if (!/^\d{9}B\d{2}$/.test(identity)) throw invalid(`"${request.taxpayerVatNumber}" is not a Dutch VAT or omzetbelastingnummer`);
}

/**
 * The Body's content of a SOAP answer, after checking its signature, the HTTP status, faults and
 * WS-Addressing correlation. An answer whose signature fails is not believed: for a status request
 * asking again is safe; for a submission nobody knows whether it arrived.
 */
function soapBodyOf(reply: SoapReply, requestMessageId: string, idempotent: boolean, check: SignatureCheck): XmlElement {
  let envelope: XmlElement | null = null;
  try {
    envelope = parseXml(reply.body);
  } catch {
    // not SOAP at all: judged by the HTTP status below
  }
  const body = envelope && envelope.localName === "Envelope" && envelope.namespace === SOAP_NAMESPACE ? childNamed(envelope, "Body", SOAP_NAMESPACE) : null;
  const fault = body && childNamed(body, "Fault", SOAP_NAMESPACE);
  const header = envelope && childNamed(envelope, "Header", SOAP_NAMESPACE);
  const signed = header !== null && childNamed(header, "Security", WSSE_NAMESPACE) !== null;
  // A fault refuses; an unsigned one is still read as a refusal (Digipoort may not sign every fault),
  // but a fault with a broken signature is as untrusted as any other answer.
  if (fault && signed) trustedOrThrow(reply.body, check, idempotent);
  if (fault) throw faultError(fault);
  if (reply.httpStatus !== 200 || body === null) throw httpError(reply, idempotent);

  trustedOrThrow(reply.body, check, idempotent);
  const relatesTo = header && childText(header, "RelatesTo", ADDRESSING_NAMESPACE);
  if (relatesTo !== requestMessageId) {
    const problem = relatesTo === null ? "does not say which message it answers (no wsa:RelatesTo)" : `relates to message ${relatesTo}, not to ours`;
    throw new GatewayError(`Digipoort's answer ${problem}`, idempotent ? "INVALID_RESPONSE" : "SUBMISSION_OUTCOME_UNKNOWN", false);
  }
  return body;
}

function trustedOrThrow(xml: string, check: SignatureCheck, idempotent: boolean): void {
  try {
    verifyEnvelope(xml, check);
  } catch (error) {
    if (!(error instanceof WsSecurityError)) throw error;
    const consequence = idempotent ? "" : "; the message may have arrived, so check with Digipoort before sending it again";
    throw new GatewayError(`Digipoort's answer is not trusted (${error.fault}): ${error.message}${consequence}`, "ANSWER_NOT_TRUSTED", idempotent);
  }
}

/** A SOAP 1.1 fault; Digipoort puts foutcode/foutbeschrijving in detail (aanleverFault or statusinformatieFault). */
function faultError(fault: XmlElement): GatewayError {
  const faultCode = childText(fault, "faultcode") ?? "";
  const faultString = childText(fault, "faultstring") ?? "SOAP fault";
  const detail = childNamed(fault, "detail");
  const foutType = detail?.children.find((child) => child.namespace === KOPPELVLAK_NAMESPACE) ?? null;
  const foutcode = foutType && childText(foutType, "foutcode", KOPPELVLAK_NAMESPACE);
  const foutbeschrijving = foutType && childText(foutType, "foutbeschrijving", KOPPELVLAK_NAMESPACE);
  // soapenv:Server means Digipoort could not handle the call; it was not accepted, so trying later is safe.
  const serverSide = faultCode.endsWith("Server");
  const localCode = faultCode.replace(/^.*:/, "");
  // WS-Security refusals (wsse:FailedCheck, wsse:MessageExpired …): our signature, certificate or clock.
  const code = foutcode || (WS_SECURITY_FAULTS.has(localCode) ? `WSS_${localCode}` : `SOAP_FAULT_${localCode || "UNKNOWN"}`);
  return new GatewayError(`Digipoort: ${foutbeschrijving || faultString}`, code, serverSide);
}

const WS_SECURITY_FAULTS = new Set([
  "UnsupportedSecurityToken",
  "UnsupportedAlgorithm",
  "InvalidSecurity",
  "InvalidSecurityToken",
  "FailedAuthentication",
  "FailedCheck",
  "SecurityTokenUnavailable",
  "MessageExpired",
]);

function httpError(reply: SoapReply, idempotent: boolean): GatewayError {
  const detail = `HTTP ${reply.httpStatus} without a SOAP answer`;
  if (reply.httpStatus === 502 || reply.httpStatus === 503) return new GatewayError(`Digipoort is unavailable (${detail})`, `HTTP_${reply.httpStatus}`, true);
  if (!idempotent && (reply.httpStatus === 200 || reply.httpStatus === 504)) {
    return new GatewayError(`Digipoort's answer to the submission cannot be read (${detail}); it may have been accepted`, "SUBMISSION_OUTCOME_UNKNOWN", false);
  }
  return new GatewayError(`Unexpected answer from Digipoort (${detail})`, `HTTP_${reply.httpStatus}`, reply.httpStatus >= 500);
}

function statusOf(result: XmlElement): GatewayStatus {
  const code = Number(childText(result, "statuscode", KOPPELVLAK_NAMESPACE));
  const fout = childNamed(result, "statusFoutcode", KOPPELVLAK_NAMESPACE);
  const error = fout && {
    code: childText(fout, "foutcode", KOPPELVLAK_NAMESPACE) ?? "",
    description: childText(fout, "foutbeschrijving", KOPPELVLAK_NAMESPACE) ?? "",
  };
  // Digipoort reports some request errors as a single status -1 carrying a foutcode rather than as a fault.
  if (code === -1) throw new GatewayError(`Digipoort: ${error?.description ?? "status request failed"}`, error?.code || "STATUS_REQUEST_FAILED", false);
  const at = parseTimestamp(childText(result, "tijdstempelStatus", KOPPELVLAK_NAMESPACE));
  if (!Number.isInteger(code) || at === null) throw new GatewayError("Digipoort sent a status without a code or time", "INVALID_RESPONSE", false);
  const details = childText(result, "statusdetails", KOPPELVLAK_NAMESPACE);
  return {
    code,
    description: childText(result, "statusomschrijving", KOPPELVLAK_NAMESPACE) ?? "",
    at,
    error: error && (error.code !== "" || error.description !== "") ? error : null,
    ...(details ? { details } : {}),
  };
}

function parseTimestamp(value: string | null): Date | null {
  if (!value) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}

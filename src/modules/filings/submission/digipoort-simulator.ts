// A local Digipoort: the same WUS SOAP messages (aanleveren, getStatussenProces) over HTTPS with
// mutual TLS, requests refused unless signed (WS-Security) by a certificate of its CA, answers signed
// with its server certificate, statuses that appear over time, and failures on demand. For tests and
// development only.
import crypto from "node:crypto";
import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { DigipoortClientOptions } from "./digipoort-client.js";
import { STATUS_CODES, type MessageKind } from "./gateway.js";
import { sharedSimulatorCertificates, type SimulatorCertificates } from "./simulator-certificates.js";
import { notAnXbrlInstance, validationProblems } from "./simulated-validation.js";
import { memorySimulatorStore, type PlannedStatus, type SimulatorStore } from "./simulator-store.js";
import {
  ACTIONS,
  ADDRESSING_NAMESPACE,
  ANONYMOUS_ADDRESS,
  BERICHTSOORTEN,
  KOPPELVLAK_NAMESPACE,
  LIMITS,
  SERVICE_PATHS,
  SOAP_NAMESPACE,
  element,
  newMessageId,
  soapEnvelope,
} from "./wus-protocol.js";
import { escapeXml } from "./xml-escape.js";
import { signEnvelope, verifyEnvelope, WSSE_NAMESPACE, WsSecurityError, type DigestAlgorithm, type SignatureAlgorithm, type WsSecurityFault } from "./ws-security.js";
import { childNamed, childText, parseXml, type XmlElement } from "../../../core/xml-tree.js";

export interface SimulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Time between successive statuses, default 200 ms. */
  stepDelayMs?: number;
  /** How the simulator signs its answers: RSA-SHA1 with SHA-1 digests (Digipoort today) unless set. */
  signatureAlgorithm?: SignatureAlgorithm;
  digestAlgorithm?: DigestAlgorithm;
  /** Clock skew tolerated on a request's Timestamp, default 60 s. */
  clockSkewSeconds?: number;
  /** Where its processes are kept: in memory unless given (the server keeps them in its database). */
  store?: SimulatorStore;
}

export type SimulatedFailure = "AUTHENTICATION" | "VALIDATION" | "DELIVERY" | null;

export interface ReceivedMessage {
  /** The kenmerk the simulator gave the message. */
  reference: string;
  berichtsoort: string;
  /** The decoded berichtInhoud. */
  xbrl: string;
  /** identiteitBelanghebbende: who the message is filed for. */
  identity: { nummer: string; type: string };
}

/**
 * A SOAP fault as Digipoort returns it: faultcode, faultstring and foutcode/foutbeschrijving in detail;
 * or a WS-Security 1.0 fault (faultcode wsse:…, no detail) for a request whose signature is refused.
 */
class SoapFault extends Error {
  constructor(
    readonly foutcode: string,
    readonly foutbeschrijving: string,
    readonly side: "Client" | "Server" | { security: WsSecurityFault } = "Client",
  ) {
    super(foutbeschrijving);
  }
}

// Status texts as Digipoort words them.
// 105, 110, 405 and 500 are seen in real Digipoort runs between the others; their texts are ours.
const DESCRIPTIONS: Readonly<Record<number, string>> = {
  105: "Aanleverproces gestart",
  100: "Aanleveren gelukt",
  110: "Authenticatie gestart",
  200: "Authenticatie gelukt",
  210: "Authenticatie niet gelukt",
  301: "Validatie gelukt",
  311: "Validatie niet gelukt",
  405: "Afleveren uitvragende partij gestart",
  400: "Afleveren uitvragende partij gelukt",
  410: "Afleveren uitvragende partij niet gelukt",
  500: "Verwerking uitvragende partij gestart",
};

// Foutcodes. VAS500 (311), AFS400 (410) and ALS400 (technical error) are codes Logius publishes for
// these cases; STS100 with this text is confirmed from a recorded Digipoort fault. The ALS/STS families
// are Digipoort's, but AUS100 (210), ALS100 and STS101 are our guesses at the exact code: not confirmed.
const FOUTEN = {
  authentication: { code: "AUS100", description: "De verzender is niet gemachtigd om het bericht te verzenden (gesimuleerd)." },
  validation: { code: "VAS500", description: "Het bericht voldoet niet aan de validatieregels" },
  delivery: { code: "AFS400", description: "Het bericht kon niet worden afgeleverd bij de uitvragende partij (gesimuleerd)." },
  badSubmission: { code: "ALS100", description: "Het verzoek voldoet niet aan de koppelvlakspecificaties en kan hierdoor niet door Digipoort worden verwerkt." },
  badStatusRequest: { code: "STS100", description: "Het verzoek voldoet niet aan de koppelvlakspecificaties en kan hierdoor niet door Digipoort worden verwerkt." },
  unknownReference: { code: "STS101", description: "Het opgegeven kenmerk is niet bekend bij Digipoort." },
  technical: { code: "ALS400", description: "Technische fout in de simulator:" },
} as const;

const KIND_BY_BERICHTSOORT = new Map(Object.entries(BERICHTSOORTEN).map(([kind, berichtsoort]) => [berichtsoort, kind as MessageKind]));
const MAX_REQUEST_BYTES = 32 * 1024 * 1024; // inhoud may be 20 MiB, base64 grows it by a third

interface ServiceDefinition {
  operation: "aanleveren" | "getStatussenProces";
  requestAction: string;
  responseAction: string;
  faultAction: string;
  /** The detail element of this service's faults. */
  faultElement: string;
  /** The fault for a request that does not follow the koppelvlak. */
  badRequest: { code: string; description: string };
}

const SERVICES: ReadonlyMap<string, ServiceDefinition> = new Map([
  [
    SERVICE_PATHS.aanleverservice,
    {
      operation: "aanleveren",
      requestAction: ACTIONS.aanleverenRequest,
      responseAction: ACTIONS.aanleverenResponse,
      faultAction: ACTIONS.aanleverenFault,
      faultElement: "aanleverFault",
      badRequest: FOUTEN.badSubmission,
    },
  ],
  [
    SERVICE_PATHS.statusinformatieservice,
    {
      operation: "getStatussenProces",
      requestAction: ACTIONS.getStatussenProcesRequest,
      responseAction: ACTIONS.getStatussenProcesResponse,
      faultAction: ACTIONS.getStatussenProcesFault,
      faultElement: "statusinformatieFault",
      badRequest: FOUTEN.badStatusRequest,
    },
  ],
]);

export class DigipoortSimulator {
  readonly received: ReceivedMessage[] = [];
  /** Requests refused for their WS-Security header, newest last (what a test can look at). */
  readonly refused: Array<{ fault: WsSecurityFault; reason: string }> = [];
  private nextFailure: SimulatedFailure = null;
  private tampering: "ALL" | "STATUS" | null = null;

  private constructor(
    private readonly server: https.Server,
    readonly submitUrl: string,
    readonly statusUrl: string,
    /** Credentials a client must use: PEM strings (CA cert, client cert and key signed by it). */
    readonly clientCredentials: { cert: string; key: string; ca: string },
    private readonly certificates: SimulatorCertificates,
    private readonly store: SimulatorStore,
    private readonly options: Required<Pick<SimulatorOptions, "stepDelayMs" | "signatureAlgorithm" | "digestAlgorithm" | "clockSkewSeconds">>,
  ) {}

  static async start(options: SimulatorOptions = {}): Promise<DigipoortSimulator> {
    const host = options.host ?? "127.0.0.1";
    const certificates = await sharedSimulatorCertificates(host);
    const server = https.createServer({
      key: certificates.server.key,
      cert: certificates.server.cert,
      ca: certificates.ca.cert,
      requestCert: true,
      rejectUnauthorized: true,
      // Under TLS 1.3 Node checks the client certificate after the handshake and then just drops the
      // connection, which a client cannot tell from a network failure. With TLS 1.2 the refusal happens
      // inside the handshake, as with servers that verify client certificates in OpenSSL.
      maxVersion: "TLSv1.2",
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const base = `https://${host.includes(":") ? `[${host}]` : host}:${port}`;
    const simulator = new DigipoortSimulator(
      server,
      `${base}${SERVICE_PATHS.aanleverservice}`,
      `${base}${SERVICE_PATHS.statusinformatieservice}`,
      { cert: certificates.client.cert, key: certificates.client.key, ca: certificates.ca.cert },
      certificates,
      options.store ?? memorySimulatorStore(),
      {
        stepDelayMs: options.stepDelayMs ?? 200,
        signatureAlgorithm: options.signatureAlgorithm ?? "rsa-sha1",
        digestAlgorithm: options.digestAlgorithm ?? "sha1",
        clockSkewSeconds: options.clockSkewSeconds ?? 60,
      },
    );
    server.on("request", (request: IncomingMessage, response: ServerResponse) => void simulator.handle(request, response));
    return simulator;
  }

  /** Options for a DigipoortClient that talks to this simulator as a registered sender would; `overrides` change some. */
  clientOptions(overrides: Partial<DigipoortClientOptions> = {}): DigipoortClientOptions {
    const { cert, key, ca } = this.clientCredentials;
    const { signatureAlgorithm, digestAlgorithm, clockSkewSeconds } = this.options;
    return {
      submitUrl: this.submitUrl,
      statusUrl: this.statusUrl,
      cert,
      key,
      ca,
      timeoutMs: 5000,
      signer: { cert, key, signatureAlgorithm, digestAlgorithm },
      answers: { trusted: ca, clockSkewSeconds },
      ...overrides,
    };
  }

  /** The next submissions fail at this stage (null: succeed), until changed. */
  failAt(stage: SimulatedFailure): void {
    this.nextFailure = stage;
  }

  /**
   * While set, answers are changed after they were signed (a kenmerk altered on its way), as a man in
   * the middle would: every answer ("ALL"), or only those to status requests ("STATUS"); null stops it.
   */
  tamperWithAnswers(which: "ALL" | "STATUS" | null): void {
    this.tampering = which;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  // ---- HTTP and SOAP ----

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const service = SERVICES.get(request.url ?? "");
    if (request.method !== "POST" || service === undefined) {
      response.writeHead(404, { "Content-Type": "text/plain" }).end("Not a Digipoort service\n");
      return;
    }
    let requestMessageId: string | undefined;
    try {
      const xml = await readBody(request);
      const envelope = parseEnvelope(xml, service.badRequest);
      this.checkSignature(xml);
      requestMessageId = checkAddressing(envelope, request.headers.soapaction, service);
      const body = childNamed(envelope, "Body", SOAP_NAMESPACE)!;
      const answer = service.operation === "aanleveren" ? await this.aanleveren(body) : await this.getStatussenProces(body);
      const tamper = this.tampering === "ALL" || (this.tampering === "STATUS" && service.operation === "getStatussenProces");
      this.answer(response, 200, soapEnvelope({ action: service.responseAction, to: ANONYMOUS_ADDRESS, messageId: newMessageId(), relatesTo: requestMessageId }, answer), tamper);
    } catch (error) {
      const fault = error instanceof SoapFault ? error : new SoapFault(FOUTEN.technical.code, `${FOUTEN.technical.description} ${(error as Error).message}`, "Server");
      const addressing = { action: service.faultAction, to: ANONYMOUS_ADDRESS, messageId: newMessageId(), ...(requestMessageId ? { relatesTo: requestMessageId } : {}) };
      this.answer(response, 500, soapEnvelope(addressing, faultXml(fault, service.faultElement)), this.tampering !== null);
    }
  }

  /** The request's WS-Security header, by Digipoort's policy: signed by a certificate of our CA, current, covering every part. */
  private checkSignature(xml: string): void {
    try {
      verifyEnvelope(xml, { trusted: this.certificates.ca.cert, clockSkewSeconds: this.options.clockSkewSeconds });
    } catch (error) {
      if (!(error instanceof WsSecurityError)) throw error;
      this.refused.push({ fault: error.fault, reason: error.message });
      throw new SoapFault(error.fault, error.message, { security: error.fault });
    }
  }

  /** Signs and sends an answer (changed after signing when `tamper`). */
  private answer(response: ServerResponse, httpStatus: number, envelope: string, tamper: boolean): void {
    const { key, cert } = this.certificates.server;
    let signed = signEnvelope(envelope, { key, cert, signatureAlgorithm: this.options.signatureAlgorithm, digestAlgorithm: this.options.digestAlgorithm });
    if (tamper) signed = signed.replace(/<kenmerk>[^<]*<\/kenmerk>/, `<kenmerk>${crypto.randomUUID()}</kenmerk>`).replace(/<faultstring>/, "<faultstring>(gewijzigd) ");
    sendSoap(response, httpStatus, signed);
  }

  // ---- AanleverService.aanleveren ----

  private async aanleveren(body: XmlElement): Promise<string> {
    const bad = (reason: string): SoapFault => new SoapFault(FOUTEN.badSubmission.code, `${FOUTEN.badSubmission.description} ${reason}`);
    const request = childNamed(body, "aanleverRequest", KOPPELVLAK_NAMESPACE);
    if (request === null) throw bad("aanleverRequest ontbreekt.");
    const field = (parent: XmlElement, name: string): string => {
      const value = childText(parent, name, KOPPELVLAK_NAMESPACE);
      if (!value) throw bad(`Element ${name} ontbreekt of is leeg.`);
      return value;
    };
    const berichtsoort = field(request, "berichtsoort");
    const kind = KIND_BY_BERICHTSOORT.get(berichtsoort);
    if (kind === undefined) throw bad(`Berichtsoort ${berichtsoort} is onbekend.`);
    const aanleverkenmerk = childText(request, "aanleverkenmerk", KOPPELVLAK_NAMESPACE);
    if (aanleverkenmerk !== null && aanleverkenmerk.length > LIMITS.aanleverkenmerk) throw bad("Aanleverkenmerk is te lang.");
    const identityElement = childNamed(request, "identiteitBelanghebbende", KOPPELVLAK_NAMESPACE);
    if (identityElement === null) throw bad("Element identiteitBelanghebbende ontbreekt.");
    const identity = { nummer: field(identityElement, "nummer"), type: field(identityElement, "type") };
    const rol = field(request, "rolBelanghebbende");
    const inhoudElement = childNamed(request, "berichtInhoud", KOPPELVLAK_NAMESPACE);
    if (inhoudElement === null) throw bad("Element berichtInhoud ontbreekt.");
    field(inhoudElement, "mimeType");
    if (field(inhoudElement, "bestandsnaam").length > LIMITS.bestandsnaam) throw bad("Bestandsnaam is te lang.");
    const xbrl = decodeBase64Utf8(field(inhoudElement, "inhoud"));
    if (xbrl === null) throw bad("De inhoud is geen geldige base64 van UTF-8-tekst.");
    const notXbrl = notAnXbrlInstance(xbrl);
    if (notXbrl !== null) throw bad(notXbrl);
    const autorisatieAdres = childText(request, "autorisatieAdres", KOPPELVLAK_NAMESPACE);

    const kenmerk = crypto.randomUUID();
    const acceptedAt = new Date();
    await this.store.save(kenmerk, { identity, statuses: this.plan(kind, identity.nummer, xbrl, acceptedAt) });
    this.received.push({ reference: kenmerk, berichtsoort, xbrl, identity });
    return [
      `<aanleverResponse xmlns="${KOPPELVLAK_NAMESPACE}">`,
      element("kenmerk", kenmerk),
      element("berichtsoort", berichtsoort),
      aanleverkenmerk === null ? "" : element("aanleverkenmerk", aanleverkenmerk),
      element("tijdstempelAangeleverd", acceptedAt.toISOString()),
      identityXml(identity),
      element("rolBelanghebbende", rol),
      autorisatieAdres === null ? "" : element("autorisatieAdres", autorisatieAdres),
      element("statuscode", String(STATUS_CODES.SUBMITTED)),
      element("tijdstempelStatus", acceptedAt.toISOString()),
      element("statusomschrijving", DESCRIPTIONS[STATUS_CODES.SUBMITTED]!),
      `</aanleverResponse>`,
    ].join("");
  }

  /**
   * All statuses of a new process in the order of a real run (105, 100, 110, 200, 301, 405, 400, 500);
   * each stage's outcome comes stepDelayMs after the previous one's, a stage's "started" status with
   * it. A status request shows those whose time has come.
   */
  private plan(kind: MessageKind, taxpayerNumber: string, xbrl: string, acceptedAt: Date): PlannedStatus[] {
    const failure = this.nextFailure;
    const statuses: PlannedStatus[] = [];
    let step = 0;
    const add = (code: number, error: PlannedStatus["error"] = null): void => {
      statuses.push({ code, description: DESCRIPTIONS[code]!, at: new Date(acceptedAt.getTime() + step * this.options.stepDelayMs), error });
    };
    add(105);
    add(STATUS_CODES.SUBMITTED);
    step++;
    add(110);
    if (failure === "AUTHENTICATION") {
      add(STATUS_CODES.AUTHENTICATION_FAILED, FOUTEN.authentication);
      return statuses;
    }
    add(STATUS_CODES.AUTHENTICATED);
    step++;
    const problems = validationProblems(kind, taxpayerNumber, xbrl);
    if (failure === "VALIDATION" || problems.length > 0) {
      const found = problems.length > 0 ? `: ${problems.join("; ")}` : " (gesimuleerd).";
      add(STATUS_CODES.VALIDATION_FAILED, { code: FOUTEN.validation.code, description: `${FOUTEN.validation.description}${found}` });
      return statuses;
    }
    add(STATUS_CODES.VALIDATED);
    step++;
    add(405);
    if (failure === "DELIVERY") {
      add(STATUS_CODES.DELIVERY_FAILED, FOUTEN.delivery);
      return statuses;
    }
    add(STATUS_CODES.DELIVERED);
    add(500);
    return statuses;
  }

  // ---- StatusinformatieService.getStatussenProces ----

  private async getStatussenProces(body: XmlElement): Promise<string> {
    const request = childNamed(body, "getStatussenProcesRequest", KOPPELVLAK_NAMESPACE);
    const kenmerk = request && childText(request, "kenmerk", KOPPELVLAK_NAMESPACE);
    if (!kenmerk) throw new SoapFault(FOUTEN.badStatusRequest.code, `${FOUTEN.badStatusRequest.description} Element kenmerk ontbreekt.`);
    const process = await this.store.find(kenmerk);
    if (process === null) throw new SoapFault(FOUTEN.unknownReference.code, FOUTEN.unknownReference.description);
    const now = Date.now();
    const results = process.statuses
      .filter((status) => status.at.getTime() <= now)
      .map((status) =>
        [
          `<StatusResultaat>`,
          element("kenmerk", kenmerk),
          identityXml(process.identity),
          element("statuscode", String(status.code)),
          element("tijdstempelStatus", status.at.toISOString()),
          element("statusomschrijving", status.description),
          status.error === null ? "" : `<statusFoutcode>${element("foutcode", status.error.code)}${element("foutbeschrijving", status.error.description)}</statusFoutcode>`,
          `</StatusResultaat>`,
        ].join(""),
      );
    return `<getStatussenProcesResponse xmlns="${KOPPELVLAK_NAMESPACE}"><getStatussenProcesReturn>${results.join("")}</getStatussenProcesReturn></getStatussenProcesResponse>`;
  }
}

/** A SOAP 1.1 Fault with Digipoort's foutType in its detail. */
function faultXml(fault: SoapFault, detailElement: string): string {
  if (typeof fault.side === "object") {
    return `<soapenv:Fault xmlns:wsse="${WSSE_NAMESPACE}"><faultcode>wsse:${fault.side.security}</faultcode><faultstring>${escapeXml(fault.foutbeschrijving)}</faultstring></soapenv:Fault>`;
  }
  return [
    `<soapenv:Fault><faultcode>soapenv:${fault.side}</faultcode><faultstring>${escapeXml(fault.foutbeschrijving)}</faultstring><detail>`,
    `<kv:${detailElement} xmlns:kv="${KOPPELVLAK_NAMESPACE}"><kv:foutcode>${escapeXml(fault.foutcode)}</kv:foutcode>`,
    `<kv:foutbeschrijving>${escapeXml(fault.foutbeschrijving)}</kv:foutbeschrijving></kv:${detailElement}>`,
    `</detail></soapenv:Fault>`,
  ].join("");
}

function identityXml(identity: { nummer: string; type: string }): string {
  return `<identiteitBelanghebbende>${element("nummer", identity.nummer)}${element("type", identity.type)}</identiteitBelanghebbende>`;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        reject(new SoapFault(FOUTEN.badSubmission.code, "Het bericht is te groot."));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function parseEnvelope(xml: string, badRequest: { code: string; description: string }): XmlElement {
  let envelope: XmlElement;
  try {
    envelope = parseXml(xml);
  } catch (error) {
    throw new SoapFault(badRequest.code, `${badRequest.description} ${(error as Error).message}`);
  }
  if (envelope.localName !== "Envelope" || envelope.namespace !== SOAP_NAMESPACE || childNamed(envelope, "Body", SOAP_NAMESPACE) === null) {
    throw new SoapFault(badRequest.code, `${badRequest.description} Geen SOAP 1.1-envelope met Body.`);
  }
  return envelope;
}

/** The WS-Addressing headers Digipoort requires, consistent with the SOAPAction; returns the request's MessageID. */
function checkAddressing(envelope: XmlElement, soapActionHeader: string | string[] | undefined, service: ServiceDefinition): string {
  const bad = (reason: string): SoapFault => new SoapFault(service.badRequest.code, `${service.badRequest.description} ${reason}`);
  const header = childNamed(envelope, "Header", SOAP_NAMESPACE);
  const action = header && childText(header, "Action", ADDRESSING_NAMESPACE);
  const messageId = header && childText(header, "MessageID", ADDRESSING_NAMESPACE);
  if (!action || !messageId || !(header && childText(header, "To", ADDRESSING_NAMESPACE))) throw bad("WS-Addressing-headers To, Action en MessageID zijn verplicht.");
  const soapAction = String(soapActionHeader ?? "").replace(/^"|"$/g, "");
  if (action !== service.requestAction || soapAction !== service.requestAction) throw bad(`Onbekende actie ${action}.`);
  return messageId;
}

/** Strict base64 (Buffer.from accepts anything) of valid UTF-8; null otherwise. */
function decodeBase64Utf8(base64: string): string | null {
  const compact = base64.replace(/\s+/g, "");
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return null;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(Buffer.from(compact, "base64"));
  } catch {
    return null;
  }
}

function sendSoap(response: ServerResponse, httpStatus: number, envelope: string): void {
  response.writeHead(httpStatus, { "Content-Type": "text/xml; charset=utf-8", "Content-Length": Buffer.byteLength(envelope) }).end(envelope);
}

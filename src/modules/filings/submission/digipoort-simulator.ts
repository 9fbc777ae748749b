// A local Digipoort: the same WUS SOAP messages (aanleveren, getStatussenProces) over HTTPS with
// mutual TLS, statuses that appear over time, and failures on demand. For tests and development only.
import crypto from "node:crypto";
import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { STATUS_CODES, type MessageKind } from "./gateway.js";
import { createSimulatorCertificates } from "./simulator-certificates.js";
import { notAnXbrlInstance, validationProblems } from "./simulated-validation.js";
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
import { childNamed, childText, parseXml, type XmlElement } from "../../../core/xml-tree.js";

export interface SimulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Time between successive statuses, default 200 ms. */
  stepDelayMs?: number;
}

export type SimulatedFailure = "AUTHENTICATION" | "VALIDATION" | "DELIVERY" | null;

export interface ReceivedMessage {
  /** The kenmerk the simulator gave the message. */
  reference: string;
  berichtsoort: string;
  /** The decoded berichtInhoud. */
  xbrl: string;
}

interface PlannedStatus {
  code: number;
  description: string;
  at: Date;
  error: { code: string; description: string } | null;
}

interface Process {
  identity: { nummer: string; type: string };
  statuses: PlannedStatus[];
}

/** A SOAP fault as Digipoort returns it: faultcode, faultstring and foutcode/foutbeschrijving in detail. */
class SoapFault extends Error {
  constructor(
    readonly foutcode: string,
    readonly foutbeschrijving: string,
    readonly side: "Client" | "Server" = "Client",
  ) {
    super(foutbeschrijving);
  }
}

// Status texts as Digipoort words them.
const DESCRIPTIONS: Readonly<Record<number, string>> = {
  100: "Aanleveren gelukt",
  200: "Authenticatie gelukt",
  210: "Authenticatie niet gelukt",
  301: "Validatie gelukt",
  311: "Validatie niet gelukt",
  400: "Afleveren uitvragende partij gelukt",
  410: "Afleveren uitvragende partij niet gelukt",
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
  private readonly processes = new Map<string, Process>();
  private nextFailure: SimulatedFailure = null;

  private constructor(
    private readonly server: https.Server,
    readonly submitUrl: string,
    readonly statusUrl: string,
    /** Credentials a client must use: PEM strings (CA cert, client cert and key signed by it). */
    readonly clientCredentials: { cert: string; key: string; ca: string },
    private readonly stepDelayMs: number,
  ) {}

  static async start(options: SimulatorOptions = {}): Promise<DigipoortSimulator> {
    const host = options.host ?? "127.0.0.1";
    const certificates = await createSimulatorCertificates(host);
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
      options.stepDelayMs ?? 200,
    );
    server.on("request", (request: IncomingMessage, response: ServerResponse) => void simulator.handle(request, response));
    return simulator;
  }

  /** The next submissions fail at this stage (null: succeed), until changed. */
  failAt(stage: SimulatedFailure): void {
    this.nextFailure = stage;
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
      const envelope = parseEnvelope(await readBody(request), service.badRequest);
      requestMessageId = checkAddressing(envelope, request.headers.soapaction, service);
      const body = childNamed(envelope, "Body", SOAP_NAMESPACE)!;
      const answer = service.operation === "aanleveren" ? this.aanleveren(body) : this.getStatussenProces(body);
      sendSoap(response, 200, soapEnvelope({ action: service.responseAction, to: ANONYMOUS_ADDRESS, messageId: newMessageId(), relatesTo: requestMessageId }, answer));
    } catch (error) {
      const fault = error instanceof SoapFault ? error : new SoapFault(FOUTEN.technical.code, `${FOUTEN.technical.description} ${(error as Error).message}`, "Server");
      const addressing = { action: service.faultAction, to: ANONYMOUS_ADDRESS, messageId: newMessageId(), ...(requestMessageId ? { relatesTo: requestMessageId } : {}) };
      sendSoap(response, 500, soapEnvelope(addressing, faultXml(fault, service.faultElement)));
    }
  }

  // ---- AanleverService.aanleveren ----

  private aanleveren(body: XmlElement): string {
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
    this.received.push({ reference: kenmerk, berichtsoort, xbrl });
    this.processes.set(kenmerk, { identity, statuses: this.plan(kind, identity.nummer, xbrl, acceptedAt) });
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

  /** All statuses of a new process, each stepDelayMs after the previous; a status request shows those whose time has come. */
  private plan(kind: MessageKind, taxpayerNumber: string, xbrl: string, acceptedAt: Date): PlannedStatus[] {
    const failure = this.nextFailure;
    const statuses: PlannedStatus[] = [];
    const add = (code: number, error: PlannedStatus["error"] = null): void => {
      statuses.push({ code, description: DESCRIPTIONS[code]!, at: new Date(acceptedAt.getTime() + statuses.length * this.stepDelayMs), error });
    };
    add(STATUS_CODES.SUBMITTED);
    if (failure === "AUTHENTICATION") {
      add(STATUS_CODES.AUTHENTICATION_FAILED, FOUTEN.authentication);
      return statuses;
    }
    add(STATUS_CODES.AUTHENTICATED);
    const problems = validationProblems(kind, taxpayerNumber, xbrl);
    if (failure === "VALIDATION" || problems.length > 0) {
      const found = problems.length > 0 ? `: ${problems.join("; ")}` : " (gesimuleerd).";
      add(STATUS_CODES.VALIDATION_FAILED, { code: FOUTEN.validation.code, description: `${FOUTEN.validation.description}${found}` });
      return statuses;
    }
    add(STATUS_CODES.VALIDATED);
    add(failure === "DELIVERY" ? STATUS_CODES.DELIVERY_FAILED : STATUS_CODES.DELIVERED, failure === "DELIVERY" ? FOUTEN.delivery : null);
    return statuses;
  }

  // ---- StatusinformatieService.getStatussenProces ----

  private getStatussenProces(body: XmlElement): string {
    const request = childNamed(body, "getStatussenProcesRequest", KOPPELVLAK_NAMESPACE);
    const kenmerk = request && childText(request, "kenmerk", KOPPELVLAK_NAMESPACE);
    if (!kenmerk) throw new SoapFault(FOUTEN.badStatusRequest.code, `${FOUTEN.badStatusRequest.description} Element kenmerk ontbreekt.`);
    const process = this.processes.get(kenmerk);
    if (process === undefined) throw new SoapFault(FOUTEN.unknownReference.code, FOUTEN.unknownReference.description);
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

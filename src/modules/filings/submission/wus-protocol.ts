// Digipoort's WUS 2.0 koppelvlak (AanleverService and StatusinformatieService, version 1.2): the names
// both our client and our simulator must agree on. Taken from the published WSDLs
// (AanleverService_V1_2, StatusinformatieService_V1_2) and their schema digipoort-koppelvlak-1.2.xsd;
// endpoints from the 2026 Digipoort migration (wus.digipoort.logius.nl).
import crypto from "node:crypto";
import type { MessageKind } from "./gateway.js";
import { escapeXml } from "./xml-escape.js";

export const SOAP_NAMESPACE = "http://schemas.xmlsoap.org/soap/envelope/";
export const KOPPELVLAK_NAMESPACE = "http://logius.nl/digipoort/koppelvlakservices/1.2/";
export const ADDRESSING_NAMESPACE = "http://www.w3.org/2005/08/addressing";
export const ANONYMOUS_ADDRESS = `${ADDRESSING_NAMESPACE}/anonymous`;

const AANLEVER_SERVICE = "http://logius.nl/digipoort/wus/2.0/aanleverservice/1.2/AanleverService";
const STATUS_SERVICE = "http://logius.nl/digipoort/wus/2.0/statusinformatieservice/1.2/StatusinformatieService";

/** SOAPAction (and wsa:Action) per message, as the WSDLs define them. */
export const ACTIONS = {
  aanleverenRequest: `${AANLEVER_SERVICE}/aanleverenRequest`,
  aanleverenResponse: `${AANLEVER_SERVICE}/aanleverenResponse`,
  aanleverenFault: `${AANLEVER_SERVICE}/aanleveren/Fault/`,
  getStatussenProcesRequest: `${STATUS_SERVICE}/getStatussenProcesRequest`,
  getStatussenProcesResponse: `${STATUS_SERVICE}/getStatussenProcesResponse`,
  getStatussenProcesFault: `${STATUS_SERVICE}/getStatussenProces/Fault/`,
} as const;

/** URL paths of the two services, the same on preproduction, production and the simulator. */
export const SERVICE_PATHS = {
  aanleverservice: "/wus/2.0/aanleverservice/1.2",
  statusinformatieservice: "/wus/2.0/statusinformatieservice/1.2",
} as const;

export const DIGIPOORT_HOSTS = {
  production: "https://wus.digipoort.logius.nl",
  preproduction: "https://wus.preproductie.digipoort.logius.nl",
} as const;

/** Digipoort's berichtsoort for each kind of message. */
export const BERICHTSOORTEN: Readonly<Record<MessageKind, string>> = {
  VAT_RETURN: "Omzetbelasting",
  // The suppletie's berichtsoort is not confirmed (docs/DIGIPOORT.md).
  VAT_CORRECTION: "OBSUP",
  ICP_DECLARATION: "ICP",
};

/** identiteitBelanghebbende.type for a taxpayer identified by the omzetbelastingnummer. */
export const TAXPAYER_IDENTITY_TYPE = "BTW";
/** No authorisation service (AuSP) between sender and taxpayer: the value everyone sends. */
export const NO_AUTHORISATION_ADDRESS = "http://geenausp.nl";
export const XBRL_MIME_TYPE = "application/xml";

/** Maximum lengths from digipoort-koppelvlak-1.2.xsd. */
export const LIMITS = { aanleverkenmerk: 40, kenmerk: 40, bestandsnaam: 80 } as const;

/** The number Digipoort knows the taxpayer by: the omzetbelastingnummer, i.e. the VAT ID without "NL". */
export function taxpayerIdentityNumber(vatNumber: string): string {
  const compact = vatNumber.toUpperCase().replace(/[\s.]/g, "");
  return compact.startsWith("NL") ? compact.slice(2) : compact;
}

export interface AddressingHeaders {
  action: string;
  to: string;
  messageId: string;
  /** Set on responses: the MessageID of the request answered. */
  relatesTo?: string;
}

export function newMessageId(): string {
  return `urn:uuid:${crypto.randomUUID()}`;
}

/** A SOAP 1.1 envelope with the WS-Addressing headers Digipoort requires (To, Action, MessageID, ReplyTo/RelatesTo). */
export function soapEnvelope(addressing: AddressingHeaders, body: string): string {
  const headers = [
    `<wsa:To>${escapeXml(addressing.to)}</wsa:To>`,
    `<wsa:Action>${escapeXml(addressing.action)}</wsa:Action>`,
    `<wsa:MessageID>${escapeXml(addressing.messageId)}</wsa:MessageID>`,
    addressing.relatesTo === undefined
      ? `<wsa:ReplyTo><wsa:Address>${ANONYMOUS_ADDRESS}</wsa:Address></wsa:ReplyTo>`
      : `<wsa:RelatesTo>${escapeXml(addressing.relatesTo)}</wsa:RelatesTo>`,
  ];
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<soapenv:Envelope xmlns:soapenv="${SOAP_NAMESPACE}" xmlns:wsa="${ADDRESSING_NAMESPACE}">`,
    `<soapenv:Header>${headers.join("")}</soapenv:Header>`,
    `<soapenv:Body>${body}</soapenv:Body>`,
    `</soapenv:Envelope>`,
  ].join("\n");
}

/** <name>escaped value</name>, for the unprefixed koppelvlak elements inside a body element. */
export function element(name: string, value: string): string {
  return `<${name}>${escapeXml(value)}</${name}>`;
}

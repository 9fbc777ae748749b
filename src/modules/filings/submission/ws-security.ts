// WS-Security 1.0 (Basic Security Profile 1.0) for Digipoort's WUS messages: every request, and every
// answer Digipoort gives, carries a wsse:Security header (mustUnderstand) with a wsu:Timestamp, the
// signer's X.509v3 certificate as a BinarySecurityToken and an XML signature (exclusive C14N) over the
// Body, the Timestamp and every WS-Addressing header, the key referenced through a
// SecurityTokenReference. Sign only, no encryption. Signing and checking are xml-crypto's; what is
// ours is the header's shape and the checks around the signature (which parts, whose certificate, when).
import crypto, { X509Certificate } from "node:crypto";
import { DOMParser, XMLSerializer } from "@xmldom/xmldom";
import { SignedXml } from "xml-crypto";
import { ADDRESSING_NAMESPACE, SOAP_NAMESPACE } from "./wus-protocol.js";

// @xmldom/xmldom types its nodes with the DOM library's interfaces.
type XmlDocument = Document;
type XmlDomElement = Element;

export const WSSE_NAMESPACE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
export const WSU_NAMESPACE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
const XMLNS_NAMESPACE = "http://www.w3.org/2000/xmlns/";
const DSIG_NAMESPACE = "http://www.w3.org/2000/09/xmldsig#";
const X509V3 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3";
const BASE64_BINARY = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary";
const EXCLUSIVE_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";

/** The algorithms a signature may use; Digipoort's policy names RSA-SHA1 with SHA-1 digests today. */
export const SIGNATURE_ALGORITHMS = {
  "rsa-sha1": "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
  "rsa-sha256": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
} as const;
export const DIGEST_ALGORITHMS = {
  sha1: "http://www.w3.org/2000/09/xmldsig#sha1",
  sha256: "http://www.w3.org/2001/04/xmlenc#sha256",
} as const;
export type SignatureAlgorithm = keyof typeof SIGNATURE_ALGORITHMS;
export type DigestAlgorithm = keyof typeof DIGEST_ALGORITHMS;

export interface MessageSigner {
  /** PEM private key (RSA) and the PEM certificate that goes into the message. */
  key: string;
  cert: string;
  signatureAlgorithm: SignatureAlgorithm;
  digestAlgorithm: DigestAlgorithm;
  /** How long a message is valid (wsu:Expires − wsu:Created); 10 minutes when absent. */
  ttlSeconds?: number;
}

export interface SignatureCheck {
  /** PEM certificates of the authorities whose certificates are trusted to sign (intermediates included). */
  trusted: string | string[];
  /** How far the other side's clock may be off, in seconds. */
  clockSkewSeconds: number;
  /** Accepted algorithms (both, unless narrowed). */
  signatureAlgorithms?: readonly SignatureAlgorithm[];
  digestAlgorithms?: readonly DigestAlgorithm[];
  now?: Date;
}

/** Why a message's security header was refused; `fault` is the WS-Security 1.0 fault code for it. */
export type WsSecurityFault = "InvalidSecurity" | "FailedCheck" | "MessageExpired" | "InvalidSecurityToken" | "FailedAuthentication" | "UnsupportedAlgorithm";

export class WsSecurityError extends Error {
  constructor(
    readonly fault: WsSecurityFault,
    message: string,
  ) {
    super(message);
    this.name = "WsSecurityError";
  }
}

export interface VerifiedMessage {
  certificate: X509Certificate;
  /** The Timestamp's Created. */
  createdAt: Date;
}

/** Signs a SOAP 1.1 envelope: adds the Security header and the signature, ids on every signed part. */
export function signEnvelope(envelopeXml: string, signer: MessageSigner, now: Date = new Date()): string {
  const document = parse(envelopeXml);
  const envelope = document.documentElement!;
  const header =
    firstChild(envelope, SOAP_NAMESPACE, "Header") ?? envelope.insertBefore(document.createElementNS(SOAP_NAMESPACE, `${envelope.prefix}:Header`), envelope.firstChild);
  const body = firstChild(envelope, SOAP_NAMESPACE, "Body");
  if (!body) throw new Error("signEnvelope: the envelope has no Body");
  if (firstChild(header, WSSE_NAMESPACE, "Security")) throw new Error("signEnvelope: the envelope is signed already");

  const signed: XmlDomElement[] = [body, ...elementChildren(header).filter((child) => child.namespaceURI === ADDRESSING_NAMESPACE)];
  envelope.setAttributeNS(XMLNS_NAMESPACE, "xmlns:wsu", WSU_NAMESPACE);
  envelope.setAttributeNS(XMLNS_NAMESPACE, "xmlns:wsse", WSSE_NAMESPACE);
  const security = document.createElementNS(WSSE_NAMESPACE, "wsse:Security");
  security.setAttributeNS(SOAP_NAMESPACE, `${envelope.prefix}:mustUnderstand`, "1");
  const timestamp = document.createElementNS(WSU_NAMESPACE, "wsu:Timestamp");
  const created = document.createElementNS(WSU_NAMESPACE, "wsu:Created");
  created.appendChild(document.createTextNode(now.toISOString()));
  const expires = document.createElementNS(WSU_NAMESPACE, "wsu:Expires");
  expires.appendChild(document.createTextNode(new Date(now.getTime() + (signer.ttlSeconds ?? 600) * 1000).toISOString()));
  timestamp.appendChild(created);
  timestamp.appendChild(expires);
  const token = document.createElementNS(WSSE_NAMESPACE, "wsse:BinarySecurityToken");
  token.setAttribute("EncodingType", BASE64_BINARY);
  token.setAttribute("ValueType", X509V3);
  token.appendChild(document.createTextNode(new X509Certificate(signer.cert).raw.toString("base64")));
  security.appendChild(token);
  security.appendChild(timestamp);
  header.insertBefore(security, header.firstChild);
  signed.unshift(timestamp);

  const tokenId = `X509-${crypto.randomUUID()}`;
  token.setAttributeNS(WSU_NAMESPACE, "wsu:Id", tokenId);
  const ids = signed.map((element) => {
    const id = `id-${crypto.randomUUID()}`;
    element.setAttributeNS(WSU_NAMESPACE, "wsu:Id", id);
    return id;
  });

  const signature = new SignedXml({
    idMode: "wssecurity",
    privateKey: signer.key,
    signatureAlgorithm: SIGNATURE_ALGORITHMS[signer.signatureAlgorithm],
    canonicalizationAlgorithm: EXCLUSIVE_C14N,
    getKeyInfoContent: () => `<wsse:SecurityTokenReference><wsse:Reference URI="#${tokenId}" ValueType="${X509V3}"/></wsse:SecurityTokenReference>`,
  });
  for (const id of ids) {
    signature.addReference({ xpath: byId(id), transforms: [EXCLUSIVE_C14N], digestAlgorithm: DIGEST_ALGORITHMS[signer.digestAlgorithm] });
  }
  signature.computeSignature(new XMLSerializer().serializeToString(document), {
    prefix: "ds",
    location: { reference: `//*[local-name()='Security' and namespace-uri()='${WSSE_NAMESPACE}']`, action: "append" },
  });
  return signature.getSignedXml();
}

/**
 * Checks a signed envelope: one Security header, a current Timestamp, a certificate issued by a
 * trusted authority and valid now, and a signature by it that covers the Body, the Timestamp and
 * every WS-Addressing header — each by an id that occurs once, so no signed copy can stand in for
 * the element read.
 */
export function verifyEnvelope(envelopeXml: string, check: SignatureCheck): VerifiedMessage {
  const now = check.now ?? new Date();
  const skewMs = check.clockSkewSeconds * 1000;
  const document = parse(envelopeXml);
  const envelope = document.documentElement!;
  const header = firstChild(envelope, SOAP_NAMESPACE, "Header");
  const body = firstChild(envelope, SOAP_NAMESPACE, "Body");
  const securities = header ? elementChildren(header).filter((child) => child.namespaceURI === WSSE_NAMESPACE && child.localName === "Security") : [];
  if (securities.length === 0) throw new WsSecurityError("InvalidSecurity", "The message is not signed: it has no wsse:Security header");
  if (securities.length > 1) throw new WsSecurityError("InvalidSecurity", "The message has more than one wsse:Security header");
  const security = securities[0]!;

  const timestamp = firstChild(security, WSU_NAMESPACE, "Timestamp");
  const created = timestamp && dateOf(firstChild(timestamp, WSU_NAMESPACE, "Created"));
  if (!timestamp || !created) throw new WsSecurityError("InvalidSecurity", "The Security header has no wsu:Timestamp with a Created time");
  const expires = dateOf(firstChild(timestamp, WSU_NAMESPACE, "Expires"));
  if (created.getTime() > now.getTime() + skewMs) throw new WsSecurityError("MessageExpired", `The message was created in the future (${created.toISOString()})`);
  if (expires && expires.getTime() < now.getTime() - skewMs) throw new WsSecurityError("MessageExpired", `The message expired at ${expires.toISOString()}`);

  const token = firstChild(security, WSSE_NAMESPACE, "BinarySecurityToken");
  if (!token || token.getAttribute("ValueType") !== X509V3) throw new WsSecurityError("InvalidSecurityToken", "The Security header has no X.509v3 BinarySecurityToken");
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(Buffer.from((token.textContent ?? "").replace(/\s+/g, ""), "base64"));
  } catch {
    throw new WsSecurityError("InvalidSecurityToken", "The BinarySecurityToken is not an X.509 certificate");
  }
  checkCertificate(certificate, check.trusted, now);

  const signatures = elementChildren(security).filter((child) => child.namespaceURI === DSIG_NAMESPACE && child.localName === "Signature");
  if (signatures.length !== 1) throw new WsSecurityError("InvalidSecurity", "The Security header must hold exactly one ds:Signature");
  const signatureElement = signatures[0]!;
  const tokenId = token.getAttributeNS(WSU_NAMESPACE, "Id");
  const keyReference = descendantsNamed(signatureElement, WSSE_NAMESPACE, "Reference")[0];
  if (!tokenId || keyReference?.getAttribute("URI") !== `#${tokenId}`) {
    throw new WsSecurityError("InvalidSecurityToken", "The signature's KeyInfo does not refer to the message's BinarySecurityToken");
  }
  checkAlgorithms(signatureElement, check);

  const referenced = new Set(descendantsNamed(signatureElement, DSIG_NAMESPACE, "Reference").map((reference) => reference.getAttribute("URI") ?? ""));
  const required: Array<[string, XmlDomElement | null]> = [
    ["the Body", body],
    ["the Timestamp", timestamp],
    ...(header ? elementChildren(header).filter((child) => child.namespaceURI === ADDRESSING_NAMESPACE) : []).map((child): [string, XmlDomElement] => [
      `wsa:${child.localName}`,
      child,
    ]),
  ];
  const idCounts = new Map<string, number>();
  for (const element of allElements(envelope)) {
    const id = element.getAttributeNS(WSU_NAMESPACE, "Id");
    if (id) idCounts.set(id, (idCounts.get(id) ?? 0) + 1);
  }
  for (const [name, element] of required) {
    const id = element?.getAttributeNS(WSU_NAMESPACE, "Id");
    if (!element || !id || !referenced.has(`#${id}`)) throw new WsSecurityError("FailedCheck", `The signature does not cover ${name}`);
    if (idCounts.get(id) !== 1) throw new WsSecurityError("FailedCheck", `The id of ${name} occurs more than once`);
  }

  const verifier = new SignedXml({ idMode: "wssecurity", publicCert: certificate.toString(), getCertFromKeyInfo: () => null });
  let valid: boolean;
  try {
    verifier.loadSignature(signatureElement);
    valid = verifier.checkSignature(envelopeXml);
  } catch (error) {
    throw new WsSecurityError("FailedCheck", `The signature does not match the message: ${(error as Error).message}`);
  }
  if (!valid) throw new WsSecurityError("FailedCheck", "The signature does not match the message: it was changed after signing, or signed with another key");
  return { certificate, createdAt: created };
}

function checkCertificate(certificate: X509Certificate, trusted: string | string[], now: Date): void {
  if (certificate.publicKey.asymmetricKeyType !== "rsa") throw new WsSecurityError("InvalidSecurityToken", "The signing certificate's key is not RSA");
  const bits = certificate.publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048) throw new WsSecurityError("InvalidSecurityToken", `The signing certificate's RSA key has ${bits} bits; at least 2048 are required`);
  if (new Date(certificate.validFrom) > now || new Date(certificate.validTo) < now) {
    throw new WsSecurityError("FailedAuthentication", `The signing certificate is not valid now (valid ${certificate.validFrom} to ${certificate.validTo})`);
  }
  const authorities = pemCertificates(trusted);
  const issuer = authorities.find((authority) => certificate.checkIssued(authority) && certificate.verify(authority.publicKey));
  if (!issuer) throw new WsSecurityError("FailedAuthentication", `The signing certificate (${certificate.subject.replace(/\n/g, ", ")}) is not issued by a trusted authority`);
}

function checkAlgorithms(signature: XmlDomElement, check: SignatureCheck): void {
  const signatureAlgorithms = (check.signatureAlgorithms ?? (Object.keys(SIGNATURE_ALGORITHMS) as SignatureAlgorithm[])).map((name) => SIGNATURE_ALGORITHMS[name]);
  const digestAlgorithms = (check.digestAlgorithms ?? (Object.keys(DIGEST_ALGORITHMS) as DigestAlgorithm[])).map((name) => DIGEST_ALGORITHMS[name]);
  const method = descendantsNamed(signature, DSIG_NAMESPACE, "SignatureMethod")[0]?.getAttribute("Algorithm") ?? "";
  if (!(signatureAlgorithms as string[]).includes(method)) throw new WsSecurityError("UnsupportedAlgorithm", `Signature algorithm ${method || "(none)"} is not accepted`);
  for (const digest of descendantsNamed(signature, DSIG_NAMESPACE, "DigestMethod")) {
    const algorithm = digest.getAttribute("Algorithm") ?? "";
    if (!(digestAlgorithms as string[]).includes(algorithm)) throw new WsSecurityError("UnsupportedAlgorithm", `Digest algorithm ${algorithm || "(none)"} is not accepted`);
  }
  const c14n = descendantsNamed(signature, DSIG_NAMESPACE, "CanonicalizationMethod")[0]?.getAttribute("Algorithm");
  if (c14n !== EXCLUSIVE_C14N) throw new WsSecurityError("UnsupportedAlgorithm", `Canonicalization ${c14n ?? "(none)"} is not exclusive C14N`);
}

/** Every certificate in one or more PEM texts. */
export function pemCertificates(pem: string | string[]): X509Certificate[] {
  const text = Array.isArray(pem) ? pem.join("\n") : pem;
  return (text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((block) => new X509Certificate(block));
}

function parse(xml: string): XmlDocument {
  // The callers parse the same text with core/xml-tree first, which refuses a DOCTYPE; refuse here too.
  if (/<!(DOCTYPE|ENTITY)/i.test(xml)) throw new WsSecurityError("InvalidSecurity", "The message declares a document type");
  const errors: string[] = [];
  const document = new DOMParser({ errorHandler: { error: (message) => errors.push(message), fatalError: (message) => errors.push(message) } }).parseFromString(xml, "text/xml");
  if (errors.length > 0 || !document.documentElement) throw new WsSecurityError("InvalidSecurity", `The message is not well-formed XML: ${errors[0] ?? "no root element"}`);
  return document;
}

function elementChildren(parent: XmlDomElement): XmlDomElement[] {
  const children: XmlDomElement[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) if (node.nodeType === 1) children.push(node as XmlDomElement);
  return children;
}

function firstChild(parent: XmlDomElement, namespace: string, localName: string): XmlDomElement | null {
  return elementChildren(parent).find((child) => child.namespaceURI === namespace && child.localName === localName) ?? null;
}

function allElements(root: XmlDomElement): XmlDomElement[] {
  return [root, ...elementChildren(root).flatMap(allElements)];
}

function descendantsNamed(root: XmlDomElement, namespace: string, localName: string): XmlDomElement[] {
  return allElements(root).filter((element) => element !== root && element.namespaceURI === namespace && element.localName === localName);
}

function dateOf(element: XmlDomElement | null): Date | null {
  const text = element?.textContent?.trim();
  if (!text) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

function byId(id: string): string {
  return `//*[@*[local-name()='Id' and namespace-uri()='${WSU_NAMESPACE}']='${id}']`;
}

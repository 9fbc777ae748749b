// WS-Security for Digipoort's messages, without a network: signing, what verification refuses, and
// loading the firm's certificate from PKCS#12 or PEM. The over-HTTPS cases are in submission.test.ts.
import { expect } from "chai";
import crypto from "node:crypto";
import { generate } from "selfsigned";
import {
  CredentialsError,
  credentialsFromPem,
  credentialsFromPkcs12,
  signEnvelope,
  verifyEnvelope,
  WsSecurityError,
  type MessageSigner,
  type WsSecurityFault,
} from "../src/modules/filings/submission/index.js";
import { createSimulatorCertificates, type SimulatorCertificates } from "../src/modules/filings/submission/simulator-certificates.js";
import { newMessageId, soapEnvelope } from "../src/modules/filings/submission/wus-protocol.js";
import { p12Of } from "./support/pkcs12.js";
import { childNamed, descendants, parseXml } from "../src/core/xml-tree.js";

const DSIG = "http://www.w3.org/2000/09/xmldsig#";
const WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";

describe("WS-Security (Digipoort's signed messages)", () => {
  let pki: SimulatorCertificates;
  let signer: MessageSigner;
  const envelope = (): string =>
    soapEnvelope(
      { action: "http://logius.nl/digipoort/test", to: "https://127.0.0.1/wus", messageId: newMessageId() },
      `<kv:ping xmlns:kv="urn:kv"><kv:kenmerk>abc</kv:kenmerk></kv:ping>`,
    );
  const check = () => ({ trusted: pki.ca.cert, clockSkewSeconds: 60 });
  const refusal = (xml: string, options: Partial<ReturnType<typeof check>> & { now?: Date; signatureAlgorithms?: Array<"rsa-sha1" | "rsa-sha256"> } = {}): WsSecurityError => {
    try {
      verifyEnvelope(xml, { ...check(), ...options });
    } catch (error) {
      expect(error).to.be.instanceOf(WsSecurityError);
      return error as WsSecurityError;
    }
    throw new Error("expected the message to be refused");
  };
  const faultOf = (xml: string, options = {}): WsSecurityFault => refusal(xml, options).fault;

  before(async () => {
    pki = await createSimulatorCertificates("127.0.0.1");
    signer = { ...pki.client, signatureAlgorithm: "rsa-sha1", digestAlgorithm: "sha1" };
  });

  it("signs the Body, the Timestamp and every WS-Addressing header, with the certificate as a BinarySecurityToken", () => {
    const signed = signEnvelope(envelope(), signer);
    const root = parseXml(signed);
    const header = childNamed(root, "Header", "http://schemas.xmlsoap.org/soap/envelope/")!;
    const security = childNamed(header, "Security", WSSE)!;
    expect(security.attributes.find((a) => a.localName === "mustUnderstand")?.value).to.equal("1");
    expect(childNamed(security, "BinarySecurityToken", WSSE)!.text).to.equal(new crypto.X509Certificate(pki.client.cert).raw.toString("base64"));
    const references = descendants(security).filter((e) => e.localName === "Reference" && e.namespace === DSIG);
    // Body + Timestamp + To, Action, MessageID, ReplyTo.
    expect(references).to.have.length(6);
    expect(descendants(security).find((e) => e.localName === "SignatureMethod")!.attributes[0]!.value).to.equal("http://www.w3.org/2000/09/xmldsig#rsa-sha1");
    expect(descendants(security).find((e) => e.localName === "CanonicalizationMethod")!.attributes[0]!.value).to.equal("http://www.w3.org/2001/10/xml-exc-c14n#");
    const verified = verifyEnvelope(signed, check());
    expect(verified.certificate.subject).to.match(/PortalDesk simulator client/);
  });

  it("signs with RSA-SHA256 and SHA-256 digests when configured, and a verifier can be narrowed to them", () => {
    const strong = signEnvelope(envelope(), { ...signer, signatureAlgorithm: "rsa-sha256", digestAlgorithm: "sha256" });
    expect(strong).to.include("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256").and.include("http://www.w3.org/2001/04/xmlenc#sha256");
    verifyEnvelope(strong, { ...check(), signatureAlgorithms: ["rsa-sha256"], digestAlgorithms: ["sha256"] });
    expect(faultOf(signEnvelope(envelope(), signer), { signatureAlgorithms: ["rsa-sha256"] })).to.equal("UnsupportedAlgorithm");
  });

  it("refuses an unsigned message", () => {
    expect(faultOf(envelope())).to.equal("InvalidSecurity");
  });

  it("refuses a message changed after signing: in the body, in a header, or with a header added", () => {
    const signed = signEnvelope(envelope(), signer);
    expect(faultOf(signed.replace("<kv:kenmerk>abc</kv:kenmerk>", "<kv:kenmerk>abd</kv:kenmerk>"))).to.equal("FailedCheck");
    expect(faultOf(signed.replace(/(<wsa:To[^>]*>)https:\/\/127\.0\.0\.1\/wus/, "$1https://elsewhere.example/wus"))).to.equal("FailedCheck");
    const added = signed.replace("</soapenv:Header>", "<wsa:FaultTo><wsa:Address>https://elsewhere.example</wsa:Address></wsa:FaultTo></soapenv:Header>");
    expect(refusal(added).message).to.match(/does not cover wsa:FaultTo/);
  });

  it("refuses a signed body copied next to a forged one (signature wrapping)", () => {
    const signed = signEnvelope(envelope(), signer);
    const bodyId = /<soapenv:Body wsu:Id="([^"]+)"/.exec(signed)![1]!;
    // The forged Body carries the signed Body's id; the original moves into a header.
    const original = /<soapenv:Body[\s\S]*<\/soapenv:Body>/.exec(signed)![0];
    const wrapped = signed
      .replace(original, `<soapenv:Body wsu:Id="${bodyId}"><kv:ping xmlns:kv="urn:kv"><kv:kenmerk>forged</kv:kenmerk></kv:ping></soapenv:Body>`)
      .replace("</soapenv:Header>", `<kv:Wrapper xmlns:kv="urn:kv">${original.replace(/soapenv:Body/g, "kv:Body")}</kv:Wrapper></soapenv:Header>`);
    expect(refusal(wrapped)).to.deep.include({ fault: "FailedCheck", message: "The id of the Body occurs more than once" });
    // Without the copy, the forged Body does not match the signature either.
    const forgedOnly = signed.replace(original, `<soapenv:Body wsu:Id="${bodyId}"><kv:ping xmlns:kv="urn:kv"><kv:kenmerk>forged</kv:kenmerk></kv:ping></soapenv:Body>`);
    expect(refusal(forgedOnly).message).to.match(/does not match the message/);
  });

  it("refuses an expired message and one from the future, within the tolerated clock skew both pass", () => {
    const signed = signEnvelope(envelope(), { ...signer, ttlSeconds: 600 });
    expect(faultOf(signed, { now: new Date(Date.now() + 11 * 60_000) })).to.equal("MessageExpired");
    expect(faultOf(signed, { now: new Date(Date.now() - 5 * 60_000) })).to.equal("MessageExpired");
    verifyEnvelope(signed, { ...check(), now: new Date(Date.now() + 10.5 * 60_000) });
    verifyEnvelope(signed, { ...check(), now: new Date(Date.now() - 30_000) });
  });

  it("refuses a certificate of an unknown authority, one that is not RSA, and one too weak", async () => {
    const stranger = await createSimulatorCertificates("127.0.0.1");
    expect(faultOf(signEnvelope(envelope(), { ...signer, ...stranger.client }))).to.equal("FailedAuthentication");
    const ec = await generate([{ name: "commonName", value: "ec" }], { keyType: "ec", curve: "P-256", algorithm: "sha256" });
    const ecSigned = signEnvelope(envelope(), { ...signer, key: pki.client.key, cert: pki.client.cert }).replace(
      /(<wsse:BinarySecurityToken[^>]*>)[^<]+/,
      `$1${new crypto.X509Certificate(ec.cert).raw.toString("base64")}`,
    );
    expect(refusal(ecSigned).message).to.match(/not RSA/);
    const weak = await generate([{ name: "commonName", value: "weak" }], { keyType: "rsa", keySize: 1024, algorithm: "sha256" });
    expect(refusal(signEnvelope(envelope(), { ...signer, key: weak.private, cert: weak.cert })).message).to.match(/1024 bits/);
  });

  describe("the firm's certificate", () => {
    it("loads an RSA key and its certificate from a PKCS#12 file (AES and legacy 3DES), the own certificate first", () => {
      for (const algorithm of ["aes256", "3des"] as const) {
        const credentials = credentialsFromPkcs12(p12Of(pki.client.key, [pki.ca.cert, pki.client.cert], "geheim wachtwoord", algorithm), "geheim wachtwoord");
        const [first, second] = credentials.cert.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)!;
        expect(new crypto.X509Certificate(first!).fingerprint256).to.equal(new crypto.X509Certificate(pki.client.cert).fingerprint256);
        expect(new crypto.X509Certificate(second!).fingerprint256).to.equal(new crypto.X509Certificate(pki.ca.cert).fingerprint256);
        // What was loaded signs messages the simulator's CA accepts.
        verifyEnvelope(signEnvelope(envelope(), { ...signer, ...credentials }), check());
      }
    });

    it("says plainly when the passphrase is wrong, the file is not PKCS#12, or the key is not RSA", async () => {
      const p12 = p12Of(pki.client.key, [pki.client.cert], "juist", "aes256");
      expect(() => credentialsFromPkcs12(p12, "fout", "cert.p12")).to.throw(CredentialsError, "cert.p12 cannot be opened with this passphrase");
      expect(() => credentialsFromPkcs12(Buffer.from("not a p12"), "x", "cert.p12")).to.throw(CredentialsError, /cert.p12 is not a readable PKCS#12 file/);
      const other = await createSimulatorCertificates("127.0.0.1");
      expect(() => credentialsFromPkcs12(p12Of(pki.client.key, [other.client.cert], "x", "aes256"), "x", "cert.p12")).to.throw(
        CredentialsError,
        /no certificate for its private key/,
      );
      const ec = await generate([{ name: "commonName", value: "ec" }], { keyType: "ec", curve: "P-256", algorithm: "sha256" });
      expect(() => credentialsFromPem(ec.cert, ec.private)).to.throw(CredentialsError, /ec; Digipoort needs an RSA key/);
    });

    it("loads PEM files, with an encrypted key given its passphrase", () => {
      const encrypted = crypto.createPrivateKey(pki.client.key).export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "pem-geheim" }) as string;
      expect(() => credentialsFromPem(pki.client.cert, encrypted)).to.throw(CredentialsError, /give its passphrase/);
      const credentials = credentialsFromPem(pki.client.cert, encrypted, "pem-geheim");
      verifyEnvelope(signEnvelope(envelope(), { ...signer, ...credentials }), check());
    });
  });
});

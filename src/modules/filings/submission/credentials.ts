// The firm's PKIoverheid services certificate: one RSA key and its certificate (with the chain
// behind it) serve both the TLS connection and the WS-Security signature. Delivered as a PKCS#12
// file (.p12/.pfx) with a passphrase, or as PEM files. node-forge reads PKCS#12 (including
// OpenSSL 3's AES/PBKDF2 defaults); Node's crypto checks the result.
import crypto, { X509Certificate } from "node:crypto";
import forge from "node-forge";

export interface SigningCredentials {
  /** PEM: the certificate first, then the rest of the chain found with it. */
  cert: string;
  /** PEM PKCS#8, unencrypted (kept in memory only). */
  key: string;
}

export class CredentialsError extends Error {
  override name = "CredentialsError";
}

/** Reads a PKCS#12 file; says so plainly when the passphrase is wrong or the file holds no usable key. */
export function credentialsFromPkcs12(p12: Buffer, passphrase: string, source = "the PKCS#12 file"): SigningCredentials {
  let store: forge.pkcs12.Pkcs12Pfx;
  try {
    store = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(p12.toString("binary"))), passphrase);
  } catch (error) {
    const message = (error as Error).message;
    if (/password|MAC/i.test(message)) throw new CredentialsError(`${source} cannot be opened with this passphrase`);
    throw new CredentialsError(`${source} is not a readable PKCS#12 file: ${message}`);
  }
  const bagsOf = (type: string): forge.pkcs12.Bag[] => store.getBags({ bagType: type })[type] ?? [];
  const keys = [...bagsOf(forge.pki.oids.pkcs8ShroudedKeyBag!), ...bagsOf(forge.pki.oids.keyBag!)].flatMap((bag) => (bag.key ? [bag.key] : []));
  if (keys.length === 0) throw new CredentialsError(`${source} holds no private key this server can use (only RSA keys are accepted)`);
  if (keys.length > 1) throw new CredentialsError(`${source} holds ${keys.length} private keys; export the one certificate Digipoort knows`);
  const certificates = bagsOf(forge.pki.oids.certBag!).flatMap((bag) => (bag.cert ? [new X509Certificate(forge.pki.certificateToPem(bag.cert))] : []));
  const key = crypto.createPrivateKey(forge.pki.privateKeyToPem(keys[0]!));
  return assembled(key, certificates, source);
}

/** Reads PEM files: the certificate (optionally followed by its chain) and the key, encrypted or not. */
export function credentialsFromPem(certPem: string, keyPem: string, passphrase?: string, source = "the certificate files"): SigningCredentials {
  let key: crypto.KeyObject;
  try {
    key = crypto.createPrivateKey({ key: keyPem, passphrase });
  } catch (error) {
    throw new CredentialsError(
      `The private key of ${source} cannot be read${passphrase === undefined ? " (is it encrypted? give its passphrase)" : ""}: ${(error as Error).message}`,
    );
  }
  const certificates = (certPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((block) => new X509Certificate(block));
  return assembled(key, certificates, source);
}

/** The certificate that belongs to the key first, the others after it; RSA of 2048–4096 bits only. */
function assembled(key: crypto.KeyObject, certificates: X509Certificate[], source: string): SigningCredentials {
  if (key.asymmetricKeyType !== "rsa") throw new CredentialsError(`The key in ${source} is ${key.asymmetricKeyType ?? "not asymmetric"}; Digipoort needs an RSA key`);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048 || bits > 4096) throw new CredentialsError(`The RSA key in ${source} has ${bits} bits; PKIoverheid keys have 2048–4096`);
  const own = certificates.find((certificate) => certificate.checkPrivateKey(key));
  if (!own) throw new CredentialsError(`${source} holds no certificate for its private key`);
  const now = new Date();
  if (new Date(own.validTo) < now) throw new CredentialsError(`The certificate in ${source} expired on ${own.validTo}`);
  if (new Date(own.validFrom) > now) throw new CredentialsError(`The certificate in ${source} is valid only from ${own.validFrom}`);
  const chain = [own, ...certificates.filter((certificate) => certificate !== own)];
  return { cert: chain.map((certificate) => certificate.toString()).join(""), key: key.export({ type: "pkcs8", format: "pem" }) as string };
}

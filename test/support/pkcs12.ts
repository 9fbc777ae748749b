// PKCS#12 files for tests, made with node-forge as a firm's certificate export would be.
import forge from "node-forge";

/** A .p12 holding `keyPem` and `certs`, encrypted with AES-256 (OpenSSL 3's default) or legacy 3DES. */
export function p12Of(keyPem: string, certs: string[], passphrase: string, algorithm: "aes256" | "3des" = "aes256"): Buffer {
  const asn1 = forge.pkcs12.toPkcs12Asn1(
    forge.pki.privateKeyFromPem(keyPem),
    certs.map((cert) => forge.pki.certificateFromPem(cert)),
    passphrase,
    { algorithm },
  );
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), "binary");
}

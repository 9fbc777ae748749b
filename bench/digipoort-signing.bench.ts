// What WS-Security costs a Digipoort call: a real submission (a 2026 VAT return, base64 in the body)
// and a status request, each built unsigned (the baseline: what the client did before), signed, and
// checked, in one process. Reports time per message and the ratios to the baseline; the network is
// not involved (a Digipoort round trip takes far longer than any of these).
// Run: node --import tsx bench/digipoort-signing.bench.ts [iterations]
import { createSimulatorCertificates } from "../src/modules/filings/submission/simulator-certificates.js";
import { signEnvelope, verifyEnvelope } from "../src/modules/filings/submission/ws-security.js";
import { taxonomyFor } from "../src/modules/filings/submission/nt-releases.js";
import { vatReturnXbrl } from "../src/modules/filings/submission/xbrl.js";
import { ACTIONS, element, KOPPELVLAK_NAMESPACE, newMessageId, soapEnvelope } from "../src/modules/filings/submission/wus-protocol.js";

const iterations = Number(process.argv[2] ?? 200);
const pki = await createSimulatorCertificates("127.0.0.1");
const boxes: Record<string, number> = Object.fromEntries(
  [
    "1a_turnover",
    "1a_vat",
    "1b_turnover",
    "1b_vat",
    "1c_turnover",
    "1c_vat",
    "1d_turnover",
    "1d_vat",
    "1e_turnover",
    "2a_turnover",
    "2a_vat",
    "3a_turnover",
    "3b_turnover",
    "3c_turnover",
    "4a_turnover",
    "4a_vat",
    "4b_turnover",
    "4b_vat",
    "5a",
    "5b",
    "5c",
    "5g",
  ].map((b) => [b, 0]),
);
const xbrl = vatReturnXbrl(
  {
    taxonomy: taxonomyFor("VAT_RETURN", 2026, new Date("2026-10-01T10:00:00Z")),
    taxpayerVatNumber: "NL123456782B01",
    taxpayerName: "Bench B.V.",
    periodStart: "2026-07-01",
    periodEnd: "2026-09-30",
    softwarePackageName: "PortalDesk",
    softwarePackageVersion: "bench",
  },
  { boxes },
);
const bodies = {
  submission: `<aanleverRequest xmlns="${KOPPELVLAK_NAMESPACE}">${element("berichtsoort", "Omzetbelasting")}<berichtInhoud>${element("inhoud", Buffer.from(xbrl).toString("base64"))}</berichtInhoud></aanleverRequest>`,
  status: `<getStatussenProcesRequest xmlns="${KOPPELVLAK_NAMESPACE}">${element("kenmerk", "7c1e3f0a-0000-4000-8000-000000000000")}</getStatussenProcesRequest>`,
};

function timePer(run: () => void): number {
  for (let i = 0; i < 10; i++) run(); // warm up
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) run();
  return Number(process.hrtime.bigint() - start) / 1e6 / iterations;
}

for (const [name, body] of Object.entries(bodies)) {
  const build = () => soapEnvelope({ action: ACTIONS.aanleverenRequest, to: "https://wus.digipoort.logius.nl/wus/2.0/aanleverservice/1.2", messageId: newMessageId() }, body);
  const baseline = timePer(build);
  for (const algorithms of [
    { signatureAlgorithm: "rsa-sha1", digestAlgorithm: "sha1" },
    { signatureAlgorithm: "rsa-sha256", digestAlgorithm: "sha256" },
  ] as const) {
    const signer = { ...pki.client, ...algorithms };
    const signed = signEnvelope(build(), signer);
    const sign = timePer(() => signEnvelope(build(), signer));
    const verify = timePer(() => verifyEnvelope(signed, { trusted: pki.ca.cert, clockSkewSeconds: 60 }));
    console.log(
      `${name} (${Buffer.byteLength(signed)} bytes signed, ${algorithms.signatureAlgorithm}): build ${baseline.toFixed(3)} ms, build+sign ${sign.toFixed(2)} ms (${(sign / baseline).toFixed(0)}×), verify ${verify.toFixed(2)} ms (${(verify / baseline).toFixed(0)}×)`,
    );
  }
}

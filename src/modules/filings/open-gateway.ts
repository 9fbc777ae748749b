// The gateway filings are submitted through: Digipoort with the firm's PKIoverheid certificate, or
// (the default, for the demo and tests) the built-in simulator — reached through the same WUS
// client over HTTPS with a client certificate and signed messages, so the real protocol code runs either way.
import fs from "node:fs/promises";
import type { Config } from "../../config/config.js";
import { measured } from "../../core/outcomes.js";
import { credentialsFromPem, credentialsFromPkcs12, type SigningCredentials } from "./submission/credentials.js";
import { DigipoortClient } from "./submission/digipoort-client.js";
import { DigipoortSimulator } from "./submission/digipoort-simulator.js";
import type { FilingGateway } from "./submission/gateway.js";
import type { SimulatorStore } from "./submission/simulator-store.js";

export interface OpenGateway {
  gateway: FilingGateway;
  /** The simulator, when this process runs one (tests steer it). */
  simulator: DigipoortSimulator | null;
  close(): Promise<void>;
}

type GatewayConfig = Config["filings"]["gateway"];

/** `simulatorStore` keeps the simulator's messages (the server's: in its database, so every instance's simulator knows every kenmerk). */
export async function openGateway(config: GatewayConfig, simulatorStore?: SimulatorStore): Promise<OpenGateway> {
  const signing = { signatureAlgorithm: config.signatureAlgorithm, digestAlgorithm: config.digestAlgorithm };
  if (config.kind === "digipoort") {
    const [credentials, ca, signingCa] = await Promise.all([
      loadCredentials(config),
      config.caFile ? fs.readFile(config.caFile) : undefined,
      fs.readFile(config.signingCaFile, "utf8"),
    ]);
    const gateway = new DigipoortClient({
      submitUrl: config.submitUrl,
      statusUrl: config.statusUrl,
      ...credentials,
      ca,
      timeoutMs: config.timeoutMs,
      signer: { ...credentials, ...signing },
      answers: { trusted: signingCa, clockSkewSeconds: config.clockSkewSeconds },
    });
    return { gateway: measuredGateway(gateway), simulator: null, close: async () => undefined };
  }
  const simulator = await DigipoortSimulator.start({
    stepDelayMs: config.stepDelayMs,
    clockSkewSeconds: config.clockSkewSeconds,
    ...signing,
    store: simulatorStore,
  });
  const gateway = new DigipoortClient(simulator.clientOptions({ timeoutMs: 30_000 }));
  return { gateway: measuredGateway(gateway), simulator, close: () => simulator.stop() };
}

/** Each call's outcome published for /metrics (core/outcomes.ts). */
function measuredGateway(gateway: FilingGateway): FilingGateway {
  return {
    submit: (request) => measured("gateway", "submit", () => gateway.submit(request)),
    statuses: (reference) => measured("gateway", "status", () => gateway.statuses(reference)),
  };
}

async function loadCredentials(config: Extract<GatewayConfig, { kind: "digipoort" }>): Promise<SigningCredentials> {
  const passphrase = config.passphrase ?? undefined;
  if ("p12File" in config.credentials) {
    return credentialsFromPkcs12(await fs.readFile(config.credentials.p12File), passphrase ?? "", `DIGIPOORT_P12_FILE (${config.credentials.p12File})`);
  }
  const [cert, key] = await Promise.all([fs.readFile(config.credentials.certFile, "utf8"), fs.readFile(config.credentials.keyFile, "utf8")]);
  return credentialsFromPem(cert, key, passphrase, `DIGIPOORT_CERT_FILE/DIGIPOORT_KEY_FILE`);
}

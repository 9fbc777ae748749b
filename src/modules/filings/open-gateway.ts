// The gateway filings are submitted through: Digipoort with the firm's PKIoverheid certificate, or
// (the default, for the demo and tests) the built-in simulator — reached through the same WUS
// client over HTTPS with a client certificate, so the real protocol code runs either way.
import fs from "node:fs/promises";
import type { Config } from "../../config/config.js";
import { DigipoortClient } from "./submission/digipoort-client.js";
import { DigipoortSimulator } from "./submission/digipoort-simulator.js";
import type { FilingGateway } from "./submission/gateway.js";

export interface OpenGateway {
  gateway: FilingGateway;
  /** The simulator, when this process runs one (tests steer it). */
  simulator: DigipoortSimulator | null;
  close(): Promise<void>;
}

export async function openGateway(config: Config["filings"]["gateway"]): Promise<OpenGateway> {
  if (config.kind === "digipoort") {
    const [cert, key, ca] = await Promise.all([fs.readFile(config.certFile), fs.readFile(config.keyFile), config.caFile ? fs.readFile(config.caFile) : undefined]);
    return {
      gateway: new DigipoortClient({ submitUrl: config.submitUrl, statusUrl: config.statusUrl, cert, key, ca, timeoutMs: config.timeoutMs }),
      simulator: null,
      close: async () => undefined,
    };
  }
  const simulator = await DigipoortSimulator.start({ stepDelayMs: config.stepDelayMs });
  const gateway = new DigipoortClient({ submitUrl: simulator.submitUrl, statusUrl: simulator.statusUrl, ...simulator.clientCredentials, timeoutMs: 30_000 });
  return { gateway, simulator, close: () => simulator.stop() };
}

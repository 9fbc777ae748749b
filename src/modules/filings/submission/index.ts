// Submitting approved filings to the Belastingdienst through Digipoort: XBRL instances, the gateway
// port, the real WUS client and a local simulator.
export { vatReturnXbrl, icpDeclarationXbrl, XbrlInputError, type VatReturnFacts, type IcpLineFacts, type XbrlContext } from "./xbrl.js";
export { NT_RELEASES, taxonomyFor, taxonomyOfEntryPoint, NoTaxonomyError, dutchDate, type NtRelease, type Taxonomy } from "./nt-releases.js";
export {
  GatewayError,
  outcomeOf,
  STATUS_CODES,
  type FilingGateway,
  type GatewayStatus,
  type MessageKind,
  type Outcome,
  type SubmissionReceipt,
  type SubmissionRequest,
} from "./gateway.js";
export { DigipoortClient, type DigipoortClientOptions } from "./digipoort-client.js";
export { DigipoortSimulator, type SimulatedFailure, type SimulatorOptions, type ReceivedMessage } from "./digipoort-simulator.js";
export { memorySimulatorStore, type SimulatorStore, type SimulatedProcess, type PlannedStatus } from "./simulator-store.js";
export { DIGIPOORT_HOSTS, SERVICE_PATHS, BERICHTSOORTEN } from "./wus-protocol.js";
export { XmlTextError } from "./xml-escape.js";
export {
  signEnvelope,
  verifyEnvelope,
  WsSecurityError,
  SIGNATURE_ALGORITHMS,
  DIGEST_ALGORITHMS,
  type MessageSigner,
  type SignatureCheck,
  type WsSecurityFault,
} from "./ws-security.js";
export { credentialsFromPkcs12, credentialsFromPem, CredentialsError, type SigningCredentials } from "./credentials.js";

// The port through which approved filings leave PortalDesk: a FilingGateway takes an XBRL message
// and gives back the gateway's reference, then reports the delivery statuses for that reference.
//
// The shape follows Digipoort (the Dutch government gateway, WUS koppelvlak):
// - submit()   = AanleverService.aanleveren; SubmissionReceipt.reference is Digipoort's "kenmerk".
// - statuses() = StatusinformatieService.getStatussenProces: every status so far, oldest first.
// - Status codes are Digipoort's: 100 aanleveren gelukt, 200/210 authenticatie, 301/311 validatie,
//   400/410 afleveren at the Belastingdienst. Real Digipoort adds intermediate codes (105, 110, 405 …)
//   which outcomeOf treats as "still pending".
// Implementations: DigipoortClient (the real protocol) and DigipoortSimulator (a local stand-in that
// speaks the same SOAP messages, for tests and development).

/** A VAT return, a correction of an accepted one (suppletie), or an ICP declaration. */
export type MessageKind = "VAT_RETURN" | "VAT_CORRECTION" | "ICP_DECLARATION";

export interface SubmissionRequest {
  kind: MessageKind;
  /** Our own reference, unique per submission (Digipoort's aanleverkenmerk: at most 40 characters). */
  senderReference: string;
  /**
   * The taxpayer: NL123456782B01, or the bare omzetbelastingnummer 123456782B01. Digipoort identifies
   * the belanghebbende by the omzetbelastingnummer (type "BTW"); for a sole trader whose VAT ID differs
   * from the omzetbelastingnummer, pass the omzetbelastingnummer.
   */
  taxpayerVatNumber: string;
  /** The XBRL instance, as produced by vatReturnXbrl / icpDeclarationXbrl. */
  xbrl: string;
  /** File name for the message (at most 80 characters), e.g. "omzetbelasting-2026-Q3.xbrl". */
  filename: string;
}

export interface SubmissionReceipt {
  /** Digipoort's kenmerk: the key for every later status request. */
  reference: string;
  /** When Digipoort accepted the message (tijdstempelAangeleverd). */
  submittedAt: Date;
}

export interface GatewayStatus {
  code: number;
  description: string;
  at: Date;
  /** Set for failure statuses (210, 311, 410 …): Digipoort's statusFoutcode. */
  error: { code: string; description: string } | null;
  /** Digipoort's statusdetails, when given (for a rejected return often the validation report). */
  details?: string;
}

export interface FilingGateway {
  submit(request: SubmissionRequest): Promise<SubmissionReceipt>;
  statuses(reference: string): Promise<GatewayStatus[]>;
}

/**
 * A failure to talk to the gateway: transport, TLS or a SOAP fault (code = Digipoort's foutcode).
 * retryable means trying the same call again later is both sensible and safe: in particular a
 * submission is never retryable when the message may already have arrived (code SUBMISSION_OUTCOME_UNKNOWN).
 */
export class GatewayError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "GatewayError";
  }
}

export const STATUS_CODES = {
  SUBMITTED: 100,
  AUTHENTICATED: 200,
  AUTHENTICATION_FAILED: 210,
  VALIDATED: 301,
  VALIDATION_FAILED: 311,
  DELIVERED: 400,
  DELIVERY_FAILED: 410,
} as const;

/**
 * Statuses that end the process without delivery. 230 (technical problem at the authorisation
 * service) also ends it; 321/420 are technical problems that Digipoort retries itself, so pending.
 */
const FINAL_FAILURE_CODES: ReadonlySet<number> = new Set([210, 230, 311, 410]);

export type Outcome = { state: "PENDING" } | { state: "ACCEPTED" } | { state: "FAILED"; reason: string };

/** The final state implied by a list of statuses: delivered (400), failed (with reason), or still pending. */
export function outcomeOf(statuses: GatewayStatus[]): Outcome {
  const failure = statuses.find((status) => FINAL_FAILURE_CODES.has(status.code));
  if (failure !== undefined) return { state: "FAILED", reason: failureReason(failure) };
  if (statuses.some((status) => status.code === STATUS_CODES.DELIVERED)) return { state: "ACCEPTED" };
  return { state: "PENDING" };
}

function failureReason(status: GatewayStatus): string {
  const error = status.error === null ? "" : `: ${status.error.code} ${status.error.description}`;
  return `${status.code} ${status.description}${error}`;
}

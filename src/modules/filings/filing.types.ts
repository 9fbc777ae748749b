import { Field, ID, InputType, Int, InterfaceType, ObjectType, registerEnumType } from "type-graphql";
import { toGlobalId } from "../../graphql/global-id.js";
import { type PayloadBase, UserErrorType } from "../../graphql/payload.js";
import { Connection, Node } from "../../graphql/relay.js";
import { DateTime, JSONObject, LocalDate, SafeInt } from "../../graphql/scalars.js";
import { type Filing, FilingKind, FilingStatus } from "./filing.entity.js";
import { periodBounds, periodLabel } from "./filing-period.js";
import { FILING_TYPE_NAME } from "./filing.service.js";
import { contentHash } from "./filing-hash.js";
import { dueDate } from "../deadlines/due-dates.js";
import { SecondFactorMethodEnum } from "../auth/two-factor.types.js";
import { type FilingPeriod, periodOf } from "./filing-period.js";
import { icpTotal } from "./icp-declaration.js";
import { BOX_LABELS, computeTotals, ENTERED_TOTALS, TURNOVER_AND_VAT_BOXES, TURNOVER_BOXES } from "./vat-return.js";

registerEnumType(FilingKind, {
  name: "FilingKind",
  description: "What is filed.",
  valuesConfig: {
    VAT_RETURN: { description: "VAT return (aangifte omzetbelasting)." },
    ICP_DECLARATION: { description: "ICP declaration (opgaaf intracommunautaire prestaties)." },
  },
});

registerEnumType(FilingStatus, {
  name: "FilingStatus",
  description: "Where a filing is: DRAFT → AWAITING_APPROVAL → APPROVED → SUBMITTED → ACCEPTED | FAILED; AWAITING_APPROVAL → REJECTED → DRAFT.",
  valuesConfig: {
    DRAFT: { description: "Being prepared by the firm; clients do not see it until approval is asked." },
    AWAITING_APPROVAL: { description: "Offered to the client for approval." },
    APPROVED: { description: "Approved by the client, exactly as it is; ready to submit." },
    REJECTED: { description: "Rejected by the client, with a note; the firm changes it (back to DRAFT)." },
    SUBMITTED: { description: "Handed to the tax authority's gateway; statuses are coming in." },
    ACCEPTED: { description: "Delivered to the tax authority." },
    FAILED: { description: "The gateway refused it (authentication, validation or delivery); see failureReason." },
  },
});

@ObjectType("FilingPeriod", { description: "A month or a quarter of a year." })
export class FilingPeriodType {
  @Field(() => Int, { description: "The year." })
  year: number;

  @Field(() => Int, { nullable: true, description: "The month (1-12), for a monthly filing." })
  month: number | null;

  @Field(() => Int, { nullable: true, description: "The quarter (1-4), for a quarterly filing." })
  quarter: number | null;

  @Field(() => LocalDate, { description: "First day (YYYY-MM-DD)." })
  start: string;

  @Field(() => LocalDate, { description: "Last day (YYYY-MM-DD)." })
  end: string;

  @Field(() => String, { description: 'Short label, e.g. "2026-Q1" or "2026-03".' })
  label: string;

  @Field(() => LocalDate, {
    description: "YYYY-MM-DD the VAT return or ICP declaration of this period must be in: the last day of the month after it, moved past weekends and general holidays.",
  })
  dueDate: string;
}

@ObjectType("FilingApproval", { description: "The client's decision on one version of a filing." })
export class FilingApprovalType {
  @Field(() => String, { description: "APPROVED or REJECTED." })
  decision: string;

  @Field(() => String, { description: "Who decided (their email at the time)." })
  byLabel: string;

  byUserId: string | null;

  @Field(() => DateTime, { description: "When." })
  at: Date;

  @Field(() => String, { nullable: true, description: "The note given with the decision." })
  note: string | null;

  @Field(() => Int, { description: "The version decided on." })
  version: number;

  @Field(() => String, { description: "SHA-256 (hex) of the content decided on; submission requires it to still match." })
  contentHash: string;

  @Field(() => SecondFactorMethodEnum, { nullable: true, description: "How the approver confirmed it with their second factor (null: they had none)." })
  confirmation: SecondFactorMethodEnum | null;

  @Field(() => String, { nullable: true, description: "SHA-256 (hex) of the XBRL instance decided on (null when none could be made, e.g. without a VAT number)." })
  xbrlSha256: string | null;
}

@ObjectType("SubmissionStatus", { description: "A status the tax authority's gateway reported (Digipoort status codes)." })
export class SubmissionStatusType {
  @Field(() => Int, { description: "Status code, e.g. 100 received, 200/210 authentication ok/failed, 301/311 validation ok/failed, 400/410 delivered/not delivered." })
  code: number;

  @Field(() => String, { description: "The gateway's description." })
  description: string;

  @Field(() => DateTime, { description: "When the gateway recorded it." })
  at: Date;

  @Field(() => String, { nullable: true, description: "Error code of a failure status." })
  errorCode: string | null;

  @Field(() => String, { nullable: true, description: "Error description of a failure status." })
  errorDescription: string | null;
}

@ObjectType("FilingSubmission", { description: "The hand-over to the tax authority's gateway and what came back." })
export class FilingSubmissionType {
  @Field(() => String, { nullable: true, description: "The gateway's reference (kenmerk); null until the gateway has taken it." })
  reference: string | null;

  @Field(() => DateTime, { nullable: true, description: "When the gateway took it." })
  submittedAt: Date | null;

  @Field(() => String, { description: "Who submitted it." })
  submittedBy: string;

  @Field(() => [SubmissionStatusType], { description: "Statuses in the order they came." })
  statuses: SubmissionStatusType[];

  @Field(() => String, { nullable: true, description: "Why it failed, for FAILED." })
  failureReason: string | null;

  @Field(() => String, { nullable: true, description: 'The taxonomy release the message was written with, e.g. "NT20 / bd 20251210".' })
  taxonomyRelease: string | null;

  @Field(() => Boolean, { description: "Whether it went as a suppletie: the correction of a VAT return the tax authority had accepted." })
  suppletie: boolean;
}

@ObjectType("FilingWarning", { description: "Something in a filing that deserves a second look (it does not block it)." })
export class FilingWarningType {
  @Field(() => String, { description: "VAT_RATE_MISMATCH or ICP_MISMATCH." })
  code: string;

  @Field(() => String, { description: "What is off." })
  message: string;

  @Field(() => [String], { description: 'Path of the box or field, e.g. ["boxes", "box1a", "vat"].' })
  field: string[];
}

@InterfaceType("Filing", {
  implements: Node,
  description: "A VAT return or ICP declaration of one period, from draft through the client's approval to submission.",
})
export class FilingType extends Node {
  @Field(() => FilingKind, { description: "What is filed." })
  kind: FilingKind;

  @Field(() => FilingPeriodType, { description: "The period." })
  period: FilingPeriodType;

  @Field(() => FilingStatus, { description: "Where it is in the workflow." })
  status: FilingStatus;

  @Field(() => Int, { description: "Grows with every change of the content; approving and rejecting name the version seen." })
  version: number;

  @Field(() => Int, { description: "0 for the original filing of the period; 1, 2 … for corrections after it." })
  correctionNumber: number;

  @Field(() => String, { description: "SHA-256 (hex) of the current content and version." })
  contentHash: string;

  @Field(() => String, { description: "Who prepared it (email or token name)." })
  preparedByLabel: string;

  @Field(() => FilingApprovalType, { nullable: true, description: "The client's decision on the current version (null when none)." })
  approval: FilingApprovalType | null;

  @Field(() => FilingSubmissionType, { nullable: true, description: "The submission, once submitted." })
  submission: FilingSubmissionType | null;

  @Field(() => DateTime, { description: "When it was created." })
  createdAt: Date;

  @Field(() => DateTime, { description: "When it last changed." })
  updatedAt: Date;

  entity: Filing;
}

@ObjectType("TurnoverAndVat", { description: "A box with a turnover and the VAT on it, in whole euros." })
export class TurnoverAndVatType {
  @Field(() => SafeInt, { description: "Turnover (omzet), whole euros." })
  turnover: number;

  @Field(() => SafeInt, { description: "VAT (omzetbelasting), whole euros." })
  vat: number;
}

@ObjectType("VatReturnBoxes", { description: "The boxes (rubrieken) of a VAT return, whole euros; 5a, 5c and 5g are computed." })
export class VatReturnBoxesType {
  [box: string]: unknown;
}

@InputType("TurnoverAndVatInput", { description: "Turnover and VAT of one box; an omitted amount keeps its value (0 when new)." })
export class TurnoverAndVatInput {
  @Field(() => SafeInt, { nullable: true, description: "Turnover, whole euros." })
  turnover?: number | null;

  @Field(() => SafeInt, { nullable: true, description: "VAT, whole euros." })
  vat?: number | null;
}

@InputType("VatReturnBoxesInput", {
  description: "Entered boxes of a VAT return, whole euros; omitted boxes keep their amounts (0 when new). 5a, 5c and 5g are computed, never entered.",
})
export class VatReturnBoxesInput {
  [box: string]: unknown;
}

// One field per box, from the box table: no hand-written list to drift from it.
for (const box of TURNOVER_AND_VAT_BOXES) {
  Field(() => TurnoverAndVatType, { description: BOX_LABELS[box] })(VatReturnBoxesType.prototype, `box${box}`);
  Field(() => TurnoverAndVatInput, { nullable: true, description: BOX_LABELS[box] })(VatReturnBoxesInput.prototype, `box${box}`);
}
for (const box of [...TURNOVER_BOXES, ...ENTERED_TOTALS]) {
  Field(() => SafeInt, { description: BOX_LABELS[box] })(VatReturnBoxesType.prototype, `box${box}`);
  Field(() => SafeInt, { nullable: true, description: BOX_LABELS[box] })(VatReturnBoxesInput.prototype, `box${box}`);
}
for (const box of ["5a", "5c", "5g"] as const) Field(() => SafeInt, { description: BOX_LABELS[box] })(VatReturnBoxesType.prototype, `box${box}`);

@ObjectType("VatReturn", { implements: [Node, FilingType], description: "A VAT return (aangifte omzetbelasting)." })
export class VatReturnType extends FilingType {
  @Field(() => VatReturnBoxesType, { description: "The boxes, entered and computed." })
  boxes: VatReturnBoxesType;

  @Field(() => String, { nullable: true, description: "Why box 3b rightly differs from the period's ICP declaration, as the firm recorded it (the client sees it)." })
  icpDifferenceReason: string | null;
}

@ObjectType("PreflightProblem", { description: "Something that keeps a filing from being accepted by the tax authority." })
export class PreflightProblemType {
  @Field(() => String, { description: "IDENTIFIER_MISSING, CONTENT, ICP_MISMATCH, ICP_NUMBER or XBRL_STRUCTURE." })
  code: string;

  @Field(() => [String], { description: "Where: a path into the filing (e.g. boxes, box3b) or the administration (administration, vatNumber)." })
  field: string[];

  @Field(() => String, { description: "What is wrong, in words." })
  message: string;
}

@ObjectType("FilingPreflight", { description: "The checks a filing must pass before approval is asked and before it is submitted." })
export class FilingPreflightType {
  @Field(() => Boolean, { description: "Whether it passes every check." })
  ok: boolean;

  @Field(() => [PreflightProblemType], { description: "What fails, empty when ok." })
  problems: PreflightProblemType[];
}

@ObjectType("IcpLine", { description: "One customer in another EU member state." })
export class IcpLineType {
  @Field(() => String, { description: "Member state code (Greece EL, Northern Ireland XI)." })
  countryCode: string;

  @Field(() => String, { description: "The customer's VAT identification number, with its country prefix." })
  vatNumber: string;

  @Field(() => SafeInt, { description: "Supplies of goods, whole euros." })
  goods: number;

  @Field(() => SafeInt, { description: "Services, whole euros." })
  services: number;

  @Field(() => SafeInt, { description: "Triangular (ABC) supplies, whole euros." })
  triangular: number;
}

@ObjectType("IcpDeclaration", { implements: [Node, FilingType], description: "An ICP declaration (opgaaf intracommunautaire prestaties)." })
export class IcpDeclarationType extends FilingType {
  @Field(() => [IcpLineType], { description: "One line per customer." })
  lines: IcpLineType[];

  @Field(() => SafeInt, { description: "Goods + services + triangular supplies of all lines: what box 3b of the VAT return should hold." })
  total: number;
}

/** The GraphQL object for a period. */
export function periodType(period: FilingPeriod): FilingPeriodType {
  return Object.assign(new FilingPeriodType(), { ...period, ...periodBounds(period), label: periodLabel(period), dueDate: dueDate(period) });
}

/** The GraphQL object for a filing entity: a VatReturn or an IcpDeclaration. */
export function filingType(filing: Filing): VatReturnType | IcpDeclarationType {
  const period = periodOf(filing);
  const common: Omit<FilingType, "entity"> & { entity: Filing } = {
    id: toGlobalId(FILING_TYPE_NAME[filing.kind], filing.id),
    kind: filing.kind,
    period: periodType(period),
    status: filing.status,
    version: filing.version,
    correctionNumber: filing.correctionNumber,
    contentHash: contentHash(filing),
    preparedByLabel: filing.preparedByLabel,
    approval:
      filing.approvalDecision && filing.approvalAt
        ? Object.assign(new FilingApprovalType(), {
            decision: filing.approvalDecision,
            byLabel: filing.approvalByLabel ?? "",
            byUserId: filing.approvalByUserId,
            at: filing.approvalAt,
            note: filing.approvalNote,
            version: filing.approvalVersion ?? 0,
            contentHash: filing.approvalContentHash ?? "",
            confirmation: filing.approvalConfirmation as SecondFactorMethodEnum | null,
            xbrlSha256: filing.approvalXbrlSha256,
          })
        : null,
    submission: filing.submittedByLabel
      ? Object.assign(new FilingSubmissionType(), {
          reference: filing.submissionReference,
          submittedAt: filing.submittedAt,
          submittedBy: filing.submittedByLabel,
          statuses: filing.submissionStatuses.map((s) =>
            Object.assign(new SubmissionStatusType(), {
              code: s.code,
              description: s.description,
              at: new Date(s.at),
              errorCode: s.error?.code ?? null,
              errorDescription: s.error?.description ?? null,
            }),
          ),
          failureReason: filing.failureReason,
          taxonomyRelease: filing.taxonomyRelease,
          suppletie: filing.messageKind === "VAT_CORRECTION",
        })
      : null,
    createdAt: filing.createdAt,
    updatedAt: filing.updatedAt,
    entity: filing,
  };
  if (filing.content.kind === FilingKind.VAT_RETURN) {
    const { entries } = filing.content;
    const totals = computeTotals(entries);
    const boxes = new VatReturnBoxesType();
    for (const box of TURNOVER_AND_VAT_BOXES) boxes[`box${box}`] = Object.assign(new TurnoverAndVatType(), entries.pairs[box]);
    for (const box of TURNOVER_BOXES) boxes[`box${box}`] = entries.turnover[box];
    for (const box of ENTERED_TOTALS) boxes[`box${box}`] = entries.totals[box];
    for (const box of ["5a", "5c", "5g"] as const) boxes[`box${box}`] = totals[box];
    return Object.assign(new VatReturnType(), common, { boxes, icpDifferenceReason: filing.content.icpDifferenceReason ?? null });
  }
  const lines = filing.content.lines.map((line) => Object.assign(new IcpLineType(), line));
  return Object.assign(new IcpDeclarationType(), common, { lines, total: icpTotal(filing.content.lines) });
}

export const FilingConnection = Connection(FilingType, "Filing");

@InputType("FilingPeriodInput", { description: "A month or a quarter: give the year and exactly one of month and quarter." })
export class FilingPeriodInput {
  @Field(() => Int, { description: "The year." })
  year: number;

  @Field(() => Int, { nullable: true, description: "The month (1-12)." })
  month?: number | null;

  @Field(() => Int, { nullable: true, description: "The quarter (1-4)." })
  quarter?: number | null;
}

@InputType("CreateVatReturnInput", { description: "A new VAT return (a draft). For a period with an accepted or failed one, it becomes a correction." })
export class CreateVatReturnInput {
  @Field(() => ID, { description: "The administration." })
  administrationId: string;

  @Field(() => FilingPeriodInput, { description: "The period." })
  period: FilingPeriodInput;

  @Field(() => VatReturnBoxesInput, { nullable: true, description: "The boxes (all 0 when omitted)." })
  boxes?: VatReturnBoxesInput | null;
}

@InputType("UpdateVatReturnInput", { description: "Changed boxes of a draft (or rejected) VAT return." })
export class UpdateVatReturnInput {
  @Field(() => ID, { description: "The VAT return." })
  filingId: string;

  @Field(() => Int, { description: "The version you changed (STALE when it changed meanwhile)." })
  version: number;

  @Field(() => VatReturnBoxesInput, { description: "The boxes to change." })
  boxes: VatReturnBoxesInput;

  @Field(() => String, {
    nullable: true,
    description: "Why box 3b rightly differs from the ICP declaration of the period (lets preflight pass); empty string clears it, omitted keeps it.",
  })
  icpDifferenceReason?: string | null;
}

@InputType("IcpLineInput", { description: "One customer in another EU member state." })
export class IcpLineInput {
  @Field(() => String, { description: "Member state code (Greece EL, Northern Ireland XI; not NL)." })
  countryCode: string;

  @Field(() => String, { description: "The customer's VAT identification number (with or without its country prefix)." })
  vatNumber: string;

  @Field(() => SafeInt, { nullable: true, description: "Supplies of goods, whole euros (default 0)." })
  goods?: number | null;

  @Field(() => SafeInt, { nullable: true, description: "Services, whole euros (default 0)." })
  services?: number | null;

  @Field(() => SafeInt, { nullable: true, description: "Triangular (ABC) supplies, whole euros (default 0)." })
  triangular?: number | null;
}

@InputType("CreateIcpDeclarationInput", { description: "A new ICP declaration (a draft)." })
export class CreateIcpDeclarationInput {
  @Field(() => ID, { description: "The administration." })
  administrationId: string;

  @Field(() => FilingPeriodInput, { description: "The period." })
  period: FilingPeriodInput;

  @Field(() => [IcpLineInput], { description: "One line per customer; one customer (VAT number) once." })
  lines: IcpLineInput[];
}

@InputType("UpdateIcpDeclarationInput", { description: "New lines for a draft (or rejected) ICP declaration." })
export class UpdateIcpDeclarationInput {
  @Field(() => ID, { description: "The ICP declaration." })
  filingId: string;

  @Field(() => Int, { description: "The version you changed (STALE when it changed meanwhile)." })
  version: number;

  @Field(() => [IcpLineInput], { description: "All lines (they replace the current ones)." })
  lines: IcpLineInput[];
}

@InputType("FilingNoteInput", { description: "A step on a filing, with an optional note for the log (and the notification)." })
export class FilingNoteInput {
  @Field(() => ID, { description: "The filing." })
  filingId: string;

  @Field(() => String, { nullable: true, description: "A note (at most 2000 characters)." })
  note?: string | null;
}

@InputType("FilingDecisionInput", { description: "The client's decision on the version they saw." })
export class FilingDecisionInput {
  @Field(() => ID, { description: "The filing." })
  filingId: string;

  @Field(() => Int, { description: "The version the client saw; STALE when it changed meanwhile." })
  version: number;

  @Field(() => String, { nullable: true, description: "A note (at most 2000 characters)." })
  note?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "With two-step sign-in on, the decision is confirmed by a code the authenticator app shows now (CONFIRMATION_REQUIRED without it); it is recorded with the decision.",
  })
  confirmationCode?: string | null;

  @Field(() => JSONObject, {
    nullable: true,
    description:
      "Or: the passkey's assertion (AuthenticationResponseJSON) for the options of decisionPasskeyOptions — a signature over exactly this decision on exactly this content, kept in the proof.",
  })
  confirmationPasskey?: Record<string, unknown> | null;
}

@InputType("DecisionPasskeyOptionsInput", { description: "The decision to confirm with a passkey." })
export class DecisionPasskeyOptionsInput {
  @Field(() => ID, { description: "The filing." })
  filingId: string;

  @Field(() => Boolean, { description: "true: approve; false: reject." })
  approve: boolean;
}

@ObjectType("DecisionPasskeyOptionsPayload", { description: "What the browser signs to confirm the decision." })
export class DecisionPasskeyOptionsPayload implements PayloadBase {
  @Field(() => JSONObject, {
    nullable: true,
    description: "PublicKeyCredentialRequestOptionsJSON: its challenge is derived from the filing's id, version, content hash and the decision.",
  })
  options: Record<string, unknown> | null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

@InputType("SubmitFilingInput", { description: "Submit an approved filing to the tax authority." })
export class SubmitFilingInput {
  @Field(() => ID, { description: "The filing." })
  filingId: string;
}

@ObjectType("VatReturnPayload", { description: "Result of creating or changing a VAT return." })
export class VatReturnPayload implements PayloadBase {
  @Field(() => VatReturnType, { nullable: true, description: "The VAT return (null when it failed)." })
  vatReturn: VatReturnType | null = null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

@ObjectType("IcpDeclarationPayload", { description: "Result of creating or changing an ICP declaration." })
export class IcpDeclarationPayload implements PayloadBase {
  @Field(() => IcpDeclarationType, { nullable: true, description: "The ICP declaration (null when it failed)." })
  icpDeclaration: IcpDeclarationType | null = null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

@ObjectType("DeleteFilingPayload", { description: "Result of deleting a filing." })
export class DeleteFilingPayload implements PayloadBase {
  @Field(() => ID, { nullable: true, description: "The deleted filing's ID (null when it failed)." })
  deletedFilingId: string | null = null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

@ObjectType("FilingPayload", { description: "Result of a workflow step on a filing." })
export class FilingPayload implements PayloadBase {
  @Field(() => FilingType, { nullable: true, description: "The filing after the step (null when it failed)." })
  filing: FilingType | null = null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Resolver, Root, Subscription } from "type-graphql";
import { requireActor } from "../../core/actor.js";
import { NotFoundError } from "../../core/errors.js";
import type { BusEvent } from "../../events/bus.js";
import type { GraphQLContext } from "../../graphql/context.js";
import { fromGlobalId, parseGlobalId, toGlobalId } from "../../graphql/global-id.js";
import { liveEvents, sharedByView } from "../../graphql/live-events.js";
import { runPayload } from "../../graphql/payload.js";
import { ConnectionArgs, toConnection } from "../../graphql/relay.js";
import { findVisibleAdministration } from "../administrations/administration.policy.js";
import { AdministrationType } from "../administrations/administration.types.js";
import { AuditEventConnection, AuditEventType } from "../audit/audit.types.js";
import { FilingKind, FilingStatus } from "./filing.entity.js";
import { administrationById } from "../administrations/administration.loaders.js";
import { approvalProofByFiling, eventPagesByFilingId, filingPreflights, filingWarnings, historyByFilingId, viewerMayApprove, visibleFilingById } from "./filing.loaders.js";
import { isFilingVisible } from "./filing.policy.js";
import { FILING_TYPE_NAME } from "./filing.service.js";
import {
  CreateIcpDeclarationInput,
  CreateVatReturnInput,
  FilingConnection,
  DecisionPasskeyOptionsInput,
  DecisionPasskeyOptionsPayload,
  DeleteFilingPayload,
  FilingDecisionInput,
  FilingNoteInput,
  FilingPayload,
  FilingType,
  filingType,
  FilingWarningType,
  FilingPreflightType,
  PreflightProblemType,
  IcpDeclarationPayload,
  IcpDeclarationType,
  SubmitFilingInput,
  UpdateIcpDeclarationInput,
  UpdateVatReturnInput,
  VatReturnPayload,
  VatReturnType,
} from "./filing.types.js";
import type { VatReturnInput } from "./vat-return.js";

type FilingChanged = Extract<BusEvent, { topic: "filing.changed" }>;

const FILING_TYPES = new Set<string>(Object.values(FILING_TYPE_NAME));

/** The uuid of a VatReturn or IcpDeclaration global ID (anything else: NOT_FOUND). */
export function filingIdFrom(globalId: string): string {
  const { type, id } = parseGlobalId(globalId);
  if (!FILING_TYPES.has(type)) throw new NotFoundError("Filing");
  return id;
}

const INPUT = { description: "What to do; see the input type." };

/** A decision's input for the service: the filing's uuid, the passkey's answer as the browser gave it. */
const decisionInput = (input: FilingDecisionInput) => ({
  ...input,
  filingId: filingIdFrom(input.filingId),
  confirmationPasskey: (input.confirmationPasskey ?? null) as AuthenticationResponseJSON | null,
});

@Resolver(() => FilingType)
export class FilingResolver {
  @FieldResolver(() => AdministrationType, { description: "The administration it is for." })
  async administration(@Root() filing: FilingType, @Ctx() ctx: GraphQLContext): Promise<AdministrationType> {
    // Visible through the filing, which was checked; loaded in one statement for a page.
    return AdministrationType.from((await ctx.loaders.get(administrationById).load(filing.entity.administrationId))!);
  }

  @FieldResolver(() => [FilingWarningType], { description: "What deserves a second look: VAT off the rate beyond rounding, box 3b against the ICP declaration." })
  async warnings(@Root() filing: FilingType, @Ctx() ctx: GraphQLContext): Promise<FilingWarningType[]> {
    return (await ctx.loaders.get(filingWarnings).load(filing.entity)).map((w) => Object.assign(new FilingWarningType(), w));
  }

  @FieldResolver(() => FilingPreflightType, {
    description:
      "The checks it must pass before approval can be asked and before it is submitted: identifiers, box 3b against the ICP declaration, ICP numbers, the XBRL message against the taxonomy release in use (when one covers the period; otherwise submitting says so).",
  })
  async preflight(@Root() filing: FilingType, @Ctx() ctx: GraphQLContext): Promise<FilingPreflightType> {
    const problems = await ctx.loaders.get(filingPreflights).load(filing.entity);
    return Object.assign(new FilingPreflightType(), {
      ok: problems.length === 0,
      problems: problems.map((p) => Object.assign(new PreflightProblemType(), { ...p, message: p.message[ctx.language] })),
    });
  }

  @FieldResolver(() => Boolean, { description: "Whether the viewer may approve or reject it now." })
  async viewerCanDecide(@Root() filing: FilingType, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return filing.status === FilingStatus.AWAITING_APPROVAL && (await ctx.loaders.get(viewerMayApprove).load(filing.entity.administrationId));
  }

  @FieldResolver(() => FilingType, { nullable: true, description: "The filing of the same period this one corrects." })
  async corrects(@Root() filing: FilingType, @Ctx() ctx: GraphQLContext): Promise<FilingType | null> {
    if (!filing.entity.correctsId) return null;
    const corrected = await ctx.loaders.get(visibleFilingById).load(filing.entity.correctsId);
    return corrected ? filingType(corrected) : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "Proof of the client's decision (JSON, format portaldesk.approval-proof/1): the content and its hash, the XBRL instance decided on, the decision and how it was confirmed, and the administration's audit chain up to it. `npm run verify-proof FILE` checks it offline. Staff only; null without a decision.",
  })
  async approvalProof(@Root() filing: FilingType, @Ctx() ctx: GraphQLContext): Promise<string | null> {
    const proof = await ctx.loaders.get(approvalProofByFiling).load(filing.entity);
    return proof ? JSON.stringify(proof, null, 2) : null;
  }

  @FieldResolver(() => [AuditEventType], {
    description:
      "The log of every step, oldest first: who, when, what, the note, and each email sent about it (clients: the approval and submission steps, and mails to themselves). Part of the tamper-evident audit trail.",
    deprecationReason: "Use `events`, a connection that pages (`history` lists every event at once).",
  })
  async history(@Root() filing: FilingType, @Ctx() ctx: GraphQLContext): Promise<AuditEventType[]> {
    return (await ctx.loaders.get(historyByFilingId).load(filing.entity.id)).map(AuditEventType.from);
  }

  @FieldResolver(() => AuditEventConnection, {
    description:
      "The log of every step, oldest first, a page at a time: who, when, what, the note, and each email sent about it (clients: the approval and submission steps, and mails to themselves). Part of the tamper-evident audit trail.",
  })
  async events(@Root() filing: FilingType, @Args(() => ConnectionArgs) page: ConnectionArgs, @Ctx() ctx: GraphQLContext) {
    return toConnection(AuditEventConnection, await ctx.loaders.get(eventPagesByFilingId).load({ id: filing.entity.id, page }), AuditEventType.from);
  }

  @Mutation(() => VatReturnPayload, { description: "Prepare a VAT return (a draft). Staff only." })
  createVatReturn(@Arg("input", () => CreateVatReturnInput, INPUT) input: CreateVatReturnInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(VatReturnPayload, async () => ({
      vatReturn: filingType(
        await ctx.services.filings.createVatReturn(ctx.viewer, {
          administrationId: fromGlobalId(input.administrationId, "Administration"),
          period: input.period,
          boxes: (input.boxes ?? {}) as VatReturnInput,
        }),
      ) as VatReturnType,
    }));
  }

  @Mutation(() => VatReturnPayload, { description: "Change boxes of a draft or rejected VAT return (a rejected one becomes a draft). Staff only." })
  updateVatReturn(@Arg("input", () => UpdateVatReturnInput, INPUT) input: UpdateVatReturnInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(VatReturnPayload, async () => ({
      vatReturn: filingType(
        await ctx.services.filings.updateVatReturn(ctx.viewer, {
          filingId: fromGlobalId(input.filingId, "VatReturn"),
          version: input.version,
          boxes: input.boxes as VatReturnInput,
          icpDifferenceReason: input.icpDifferenceReason,
        }),
      ) as VatReturnType,
    }));
  }

  @Mutation(() => IcpDeclarationPayload, { description: "Prepare an ICP declaration (a draft). Staff only." })
  createIcpDeclaration(@Arg("input", () => CreateIcpDeclarationInput, INPUT) input: CreateIcpDeclarationInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(IcpDeclarationPayload, async () => ({
      icpDeclaration: filingType(
        await ctx.services.filings.createIcpDeclaration(ctx.viewer, {
          administrationId: fromGlobalId(input.administrationId, "Administration"),
          period: input.period,
          lines: input.lines,
        }),
      ) as IcpDeclarationType,
    }));
  }

  @Mutation(() => IcpDeclarationPayload, { description: "Replace the lines of a draft or rejected ICP declaration. Staff only." })
  updateIcpDeclaration(@Arg("input", () => UpdateIcpDeclarationInput, INPUT) input: UpdateIcpDeclarationInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(IcpDeclarationPayload, async () => ({
      icpDeclaration: filingType(
        await ctx.services.filings.updateIcpDeclaration(ctx.viewer, { filingId: fromGlobalId(input.filingId, "IcpDeclaration"), version: input.version, lines: input.lines }),
      ) as IcpDeclarationType,
    }));
  }

  @Mutation(() => FilingPayload, { description: "Offer a draft to the administration's approving client users, with an optional note. Staff only." })
  requestFilingApproval(@Arg("input", () => FilingNoteInput, INPUT) input: FilingNoteInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(FilingPayload, async () => ({
      filing: filingType(await ctx.services.filings.requestApproval(ctx.viewer, { filingId: filingIdFrom(input.filingId), note: input.note })),
    }));
  }

  @Mutation(() => FilingPayload, { description: "Take back a request for approval (back to DRAFT). Staff only." })
  withdrawApprovalRequest(@Arg("input", () => FilingNoteInput, INPUT) input: FilingNoteInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(FilingPayload, async () => ({
      filing: filingType(await ctx.services.filings.withdrawApprovalRequest(ctx.viewer, { filingId: filingIdFrom(input.filingId), note: input.note })),
    }));
  }

  @Mutation(() => FilingPayload, { description: "Approve exactly the version seen (STALE if it changed). Client users allowed to approve for the administration." })
  approveFiling(@Arg("input", () => FilingDecisionInput, INPUT) input: FilingDecisionInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(FilingPayload, async () => ({
      filing: filingType(await ctx.services.filings.decide(ctx.viewer, decisionInput(input), "APPROVED")),
    }));
  }

  @Mutation(() => FilingPayload, { description: "Reject the version seen, with a note for the firm. Client users allowed to approve for the administration." })
  rejectFiling(@Arg("input", () => FilingDecisionInput, INPUT) input: FilingDecisionInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(FilingPayload, async () => ({
      filing: filingType(await ctx.services.filings.decide(ctx.viewer, decisionInput(input), "REJECTED")),
    }));
  }

  @Mutation(() => DecisionPasskeyOptionsPayload, {
    description: "Options for confirming a decision on the filing as it is now with a passkey (client users allowed to approve, with a passkey).",
  })
  decisionPasskeyOptions(@Arg("input", () => DecisionPasskeyOptionsInput, INPUT) input: DecisionPasskeyOptionsInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(DecisionPasskeyOptionsPayload, async () => ({
      options: (await ctx.services.filings.decisionPasskeyOptions(ctx.viewer, filingIdFrom(input.filingId), input.approve ? "APPROVED" : "REJECTED")) as unknown as Record<
        string,
        unknown
      >,
    }));
  }

  @Mutation(() => FilingPayload, { description: "Back to DRAFT after the client's decision, to change it; an approval is void then. Staff only." })
  reopenFiling(@Arg("input", () => FilingNoteInput, INPUT) input: FilingNoteInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(FilingPayload, async () => ({
      filing: filingType(await ctx.services.filings.reopen(ctx.viewer, { filingId: filingIdFrom(input.filingId), note: input.note })),
    }));
  }

  @Mutation(() => DeleteFilingPayload, {
    description: "Delete a DRAFT or REJECTED filing the firm will not offer; its period is free for a new one, and the audit trail keeps what it held. Staff only.",
  })
  deleteFiling(@Arg("input", () => FilingNoteInput, INPUT) input: FilingNoteInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(DeleteFilingPayload, async () => {
      const filing = await ctx.services.filings.discard(ctx.viewer, { filingId: filingIdFrom(input.filingId), note: input.note });
      return { deletedFilingId: toGlobalId(FILING_TYPE_NAME[filing.kind], filing.id) };
    });
  }

  @Mutation(() => FilingPayload, { description: "Submit an approved filing, unchanged since approval, to the tax authority (as XBRL through Digipoort). Staff only." })
  submitFiling(@Arg("input", () => SubmitFilingInput, INPUT) input: SubmitFilingInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(FilingPayload, async () => ({ filing: filingType(await ctx.services.submissions.submit(ctx.viewer, { filingId: filingIdFrom(input.filingId) })) }));
  }

  @Subscription(() => FilingType, {
    description: "Each change of the administration's filings the viewer may see, as it happens.",
    subscribe: async ({ args, context }) => {
      const ctx = context as GraphQLContext;
      const administrationId = fromGlobalId((args as { administrationId: string }).administrationId, "Administration");
      await findVisibleAdministration(ctx.services.dataSource.manager, requireActor(ctx.viewer), administrationId);
      // Filings the viewer may not see (a client and a draft) are skipped, not sent.
      return liveEvents(ctx, {
        kind: "filingUpdated",
        matches: (event): event is FilingChanged => event.topic === "filing.changed" && event.administrationId === administrationId,
        allowed: (subscriber, event) => isFilingVisible(ctx.services.dataSource.manager, subscriber, event.filingId),
      });
    },
  })
  async filingUpdated(
    @Arg("administrationId", () => ID, { description: "The administration to follow." }) _administrationId: string,
    @Root() event: FilingChanged,
    @Ctx() ctx: GraphQLContext,
  ): Promise<FilingType> {
    const actor = requireActor(ctx.viewer);
    return filingType(await sharedByView(event, actor, "filing", () => ctx.services.filings.get(actor, event.filingId)));
  }
}

@Resolver(() => AdministrationType)
export class AdministrationFilingsResolver {
  @FieldResolver(() => FilingConnection, {
    description: "Its VAT returns and ICP declarations the viewer may see, newest period first (clients: from the request for approval on, never a draft).",
  })
  async filings(
    @Root() administration: AdministrationType,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg("kind", () => FilingKind, { nullable: true, description: "Only this kind." }) kind: FilingKind | null,
    @Arg("status", () => FilingStatus, { nullable: true, description: "Only in this status." }) status: FilingStatus | null,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toConnection(FilingConnection, await ctx.services.filings.list(ctx.viewer, administration.entityId, { kind, status }, page), (f): FilingType => filingType(f));
  }
}

// Filings: VAT returns and ICP declarations from draft through the client's approval to
// submission. Every step locks the filing row, checks state (and the version the actor saw), and
// writes the audit trail, the notifications and the live event in one transaction: of two
// concurrent approve/reject/withdraw actions exactly one wins, the other gets a clear userError.
import { createHash, randomUUID } from "node:crypto";
import { type DataSource, type EntityManager, In } from "typeorm";
import { type Actor, assertFirmWork, requireActor, requireUser, userIdOf, type Viewer } from "../../core/actor.js";
import { throwIfAny, UserError, UserErrorCode } from "../../core/errors.js";
import type { Localized } from "../../core/language.js";
import { type PageArgs, paginate } from "../../db/pagination.js";
import { inTransaction } from "../../db/transaction.js";
import type { EventBus } from "../../events/bus.js";
import { findVisibleAdministration, firmStaffIds, portalClientIds } from "../administrations/administration.policy.js";
import type { AuditService } from "../audit/audit.service.js";
import type { FilingParams } from "../notifications/notification-kinds.js";
import { NotificationKind, type NotificationService } from "../notifications/notification.service.js";
import { Administration } from "../administrations/administration.entity.js";
import { type FilingContent, Filing, FilingKind, FilingStatus } from "./filing.entity.js";
import { checkPeriod, periodLabel, periodOf } from "./filing-period.js";
import { contentHash } from "./filing-hash.js";
import { type ApprovalProof, approvalProof } from "./approval-proof.js";
import { AuditEvent } from "../audit/audit-event.entity.js";
import { readsAdministrationTrails } from "../audit/audit.policy.js";
import { approvedXbrl, correctsAcceptedReturn, type XbrlSoftware } from "./filing-xbrl.js";
import { counterpartOf, latestOfTheirPeriods, suppletieIds } from "./filing-periods.js";
import { preflight, type PreflightFacts, type PreflightProblem } from "./filing-preflight.js";
import type { TwoFactorService } from "../auth/two-factor.js";
import type { PasskeyService } from "../auth/passkeys.js";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { type ApprovalAssertion, approvalChallenge } from "./approval-assertion.js";
import { canonicalJson } from "../../core/canonical-json.js";
import { icpTotal, type IcpLineInput, readLines } from "./icp-declaration.js";
import { assertMayApprove, filingVisibleTo, findVisibleFiling, scopeVisibleFilings } from "./filing.policy.js";
import { type FilingWarning, readEntries, type VatReturnInput, vatReturnWarnings } from "./vat-return.js";

/** The GraphQL type of each kind: audit subjects, notification subjects and portal links use it. */
export const FILING_TYPE_NAME: Record<FilingKind, "VatReturn" | "IcpDeclaration"> = {
  VAT_RETURN: "VatReturn",
  ICP_DECLARATION: "IcpDeclaration",
};

const KIND_NAME: Record<FilingKind, Localized> = {
  VAT_RETURN: { en: "VAT return", nl: "btw-aangifte" },
  ICP_DECLARATION: { en: "ICP declaration", nl: "ICP-opgaaf" },
};

export interface PeriodInput {
  year: number;
  month?: number | null;
  quarter?: number | null;
}

export interface FilingFilter {
  kind?: FilingKind | null;
  status?: FilingStatus | null;
}

/** What the filing is now, after its subject: "This VAT return is a draft", "Deze btw-aangifte is een concept". */
const STATE_MESSAGE: Record<FilingStatus, Localized> = {
  DRAFT: { en: "is a draft", nl: "is een concept" },
  AWAITING_APPROVAL: { en: "awaits the client's approval", nl: "wacht op goedkeuring door de klant" },
  APPROVED: { en: "has been approved", nl: "is goedgekeurd" },
  REJECTED: { en: "has been rejected", nl: "is afgekeurd" },
  SUBMITTED: { en: "has been submitted", nl: "is ingediend" },
  ACCEPTED: { en: "has been accepted by the tax authority", nl: "is door de Belastingdienst geaccepteerd" },
  FAILED: { en: "failed at submission", nl: "is bij het indienen mislukt" },
};

/** One workflow step: which states it starts from, what it changes, what it records, whom it tells. */
export interface Step {
  from: FilingStatus[];
  /** The version the actor saw, when the step acts on what they saw (approve, reject, update). */
  version?: number | null;
  check?: (manager: EntityManager, actor: Actor, filing: Filing) => Promise<void>;
  change: (filing: Filing, actor: Actor) => Partial<Filing>;
  action: string;
  note?: string | null;
  details?: (filing: Filing) => Record<string, unknown>;
  notify?: { kind: NotificationKind; to: "APPROVERS" | "STAFF"; by?: (actor: Actor) => string };
  /** Work to queue in the same transaction (e.g. the submission job). */
  after?: (manager: EntityManager, filing: Filing) => Promise<void>;
  /** Deletes the filing once the step is recorded (the trail keeps what it held). */
  remove?: boolean;
}

export class FilingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly notifications: NotificationService,
    private readonly bus: EventBus,
    private readonly twoFactor: TwoFactorService,
    private readonly passkeys: PasskeyService,
    private readonly software: XbrlSoftware,
    private readonly maxPageSize: number,
  ) {}

  /** An administration's filings the viewer may see, newest period first. */
  async list(viewer: Viewer, administrationId: string, filter: FilingFilter, page: PageArgs) {
    const actor = requireActor(viewer);
    const qb = this.dataSource.getRepository(Filing).createQueryBuilder("f").where("f.administration_id = :administrationId", { administrationId });
    scopeVisibleFilings(qb, "f", actor);
    if (filter.kind) qb.andWhere("f.kind = :kind", { kind: filter.kind });
    if (filter.status) qb.andWhere("f.status = :status", { status: filter.status });
    return paginate(qb, page, { expr: "f.period_key", type: "bigint", direction: "DESC", idExpr: "f.id" }, this.maxPageSize);
  }

  get(viewer: Viewer, id: string): Promise<Filing> {
    return findVisibleFiling(this.dataSource.manager, requireActor(viewer), id);
  }

  createVatReturn(viewer: Viewer, input: { administrationId: string; period: PeriodInput; boxes: VatReturnInput }): Promise<Filing> {
    const entries = readEntries(input.boxes);
    return this.create(viewer, input.administrationId, input.period, { kind: FilingKind.VAT_RETURN, entries });
  }

  createIcpDeclaration(viewer: Viewer, input: { administrationId: string; period: PeriodInput; lines: IcpLineInput[] }): Promise<Filing> {
    const lines = readLines(input.lines);
    return this.create(viewer, input.administrationId, input.period, { kind: FilingKind.ICP_DECLARATION, lines });
  }

  /** Changes the boxes given (others keep their amounts). Drafts only; a rejected filing becomes a draft again. */
  updateVatReturn(viewer: Viewer, input: { filingId: string; version: number; boxes: VatReturnInput; icpDifferenceReason?: string | null }): Promise<Filing> {
    if (input.icpDifferenceReason && input.icpDifferenceReason.length > 1000) {
      throw new UserError(UserErrorCode.INVALID, { en: "The reason is longer than 1000 characters", nl: "De reden is langer dan 1000 tekens" }, ["icpDifferenceReason"]);
    }
    return this.update(viewer, input.filingId, input.version, FilingKind.VAT_RETURN, (content) => {
      if (content.kind !== FilingKind.VAT_RETURN) throw new Error("not a VAT return");
      const reason = input.icpDifferenceReason === undefined ? (content.icpDifferenceReason ?? null) : input.icpDifferenceReason?.trim() || null;
      return { kind: FilingKind.VAT_RETURN, entries: readEntries(input.boxes, content.entries), ...(reason ? { icpDifferenceReason: reason } : {}) };
    });
  }

  /** Replaces the lines. Drafts only; a rejected declaration becomes a draft again. */
  updateIcpDeclaration(viewer: Viewer, input: { filingId: string; version: number; lines: IcpLineInput[] }): Promise<Filing> {
    return this.update(viewer, input.filingId, input.version, FilingKind.ICP_DECLARATION, () => ({ kind: FilingKind.ICP_DECLARATION, lines: readLines(input.lines) }));
  }

  private async create(viewer: Viewer, administrationId: string, periodInput: PeriodInput, content: FilingContent): Promise<Filing> {
    const actor = requireActor(viewer);
    assertFirmWork(actor);
    const period = checkPeriod(periodInput);
    return inTransaction(this.dataSource, async (manager) => {
      const administration = await findVisibleAdministration(manager, actor, administrationId);
      // One filing per administration, kind and period at a time: serialise creations of the same one.
      await manager.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 17))", [`${administrationId}:${content.kind}:${periodLabel(period)}`]);
      const latest = await manager
        .getRepository(Filing)
        .createQueryBuilder("f")
        .where("f.administration_id = :administrationId AND f.kind = :kind AND f.period_year = :year", { administrationId, kind: content.kind, year: period.year })
        .andWhere("f.period_month IS NOT DISTINCT FROM :month AND f.period_quarter IS NOT DISTINCT FROM :quarter", { month: period.month, quarter: period.quarter })
        .orderBy("f.correction_number", "DESC")
        .getOne();
      if (latest && latest.status !== FilingStatus.ACCEPTED && latest.status !== FilingStatus.FAILED) {
        throw new UserError(
          UserErrorCode.ALREADY_EXISTS,
          {
            en: `There is already a ${KIND_NAME[content.kind].en} for ${periodLabel(period)} that ${STATE_MESSAGE[latest.status].en}; change that one`,
            nl: `Er is al een ${KIND_NAME[content.kind].nl} voor ${periodLabel(period)} en die ${STATE_MESSAGE[latest.status].nl}; wijzig die`,
          },
          ["period"],
        );
      }
      const filing = manager.getRepository(Filing).create({
        id: randomUUID(),
        firmId: administration.firmId,
        administrationId,
        kind: content.kind,
        periodYear: period.year,
        periodMonth: period.month,
        periodQuarter: period.quarter,
        // After an accepted (or failed) one, a new filing of the period corrects it; the old one stays.
        correctionNumber: latest ? latest.correctionNumber + 1 : 0,
        correctsId: latest?.id ?? null,
        status: FilingStatus.DRAFT,
        version: 1,
        content,
        preparedByUserId: userIdOf(actor),
        preparedByLabel: actor.label,
        firstRequestedAt: null,
        submissionStatuses: [],
      });
      await manager.getRepository(Filing).insert(filing);
      await this.record(manager, actor, filing, "filing.created", null, { period: periodLabel(period), correctionNumber: filing.correctionNumber, version: 1, content });
      return manager.getRepository(Filing).findOneByOrFail({ id: filing.id });
    });
  }

  private update(viewer: Viewer, filingId: string, version: number, kind: FilingKind, next: (content: FilingContent) => FilingContent): Promise<Filing> {
    return this.step(viewer, filingId, {
      from: [FilingStatus.DRAFT, FilingStatus.REJECTED],
      version,
      check: async (_manager, actor, filing) => {
        assertFirmWork(actor);
        if (filing.kind !== kind)
          throw new UserError(UserErrorCode.INVALID, { en: `This filing is not a ${KIND_NAME[kind].en}`, nl: `Deze aangifte is geen ${KIND_NAME[kind].nl}` }, ["filingId"]);
      },
      change: (filing) => ({ content: next(filing.content), version: filing.version + 1, status: FilingStatus.DRAFT, ...NO_DECISION }),
      action: "filing.updated",
      details: (filing) => ({ version: filing.version, content: filing.content }),
    });
  }

  requestApproval(viewer: Viewer, input: { filingId: string; note?: string | null }): Promise<Filing> {
    return this.step(viewer, input.filingId, {
      from: [FilingStatus.DRAFT],
      check: async (manager, actor, filing) => {
        assertFirmWork(actor);
        if ((await portalClientIds(manager, filing.administrationId, { approversOnly: true })).length === 0) {
          throw new UserError(
            UserErrorCode.WRONG_STATE,
            {
              en: "Nobody may approve filings for this administration yet: give a client user that right first",
              nl: "Nog niemand mag aangiften van deze administratie goedkeuren: geef eerst een gebruiker van de klant dat recht",
            },
            ["filingId"],
          );
        }
        // Only what the Belastingdienst would accept is put before the client.
        if (filing.status === FilingStatus.DRAFT) await this.assertPreflight(manager, filing);
      },
      change: (filing) => ({ status: FilingStatus.AWAITING_APPROVAL, firstRequestedAt: filing.firstRequestedAt ?? new Date() }),
      action: "filing.approval_requested",
      note: input.note,
      details: (filing) => ({ version: filing.version, contentHash: contentHash(filing) }),
      notify: { kind: NotificationKind.FILING_APPROVAL_REQUESTED, to: "APPROVERS" },
    });
  }

  withdrawApprovalRequest(viewer: Viewer, input: { filingId: string; note?: string | null }): Promise<Filing> {
    return this.step(viewer, input.filingId, {
      from: [FilingStatus.AWAITING_APPROVAL],
      check: async (_manager, actor) => assertFirmWork(actor),
      change: () => ({ status: FilingStatus.DRAFT }),
      action: "filing.approval_withdrawn",
      note: input.note,
      notify: { kind: NotificationKind.FILING_APPROVAL_WITHDRAWN, to: "APPROVERS" },
    });
  }

  /**
   * The client's decision on exactly the version they saw. It keeps a hash of that content and the
   * XBRL instance decided on (its SHA-256 also in the audit event); an approver with two-step sign-in
   * confirms it with a code from their app, recorded with the decision.
   */
  decide(
    viewer: Viewer,
    input: { filingId: string; version: number; note?: string | null; confirmationCode?: string | null; confirmationPasskey?: AuthenticationResponseJSON | null },
    decision: "APPROVED" | "REJECTED",
  ): Promise<Filing> {
    let confirmation: Filing["approvalConfirmation"] = null;
    let assertion: ApprovalAssertion | null = null;
    let xbrl: string | null = null;
    return this.step(viewer, input.filingId, {
      from: [FilingStatus.AWAITING_APPROVAL],
      version: input.version,
      check: async (manager, actor, filing) => {
        await assertMayApprove(manager, actor, filing.administrationId);
        // The firm must learn what to change: a rejection without a reason is refused.
        if (decision === "REJECTED" && !input.note?.trim())
          throw new UserError(
            UserErrorCode.INVALID,
            { en: "Give the reason for rejecting, so the firm knows what to change", nl: "Geef de reden van afkeuren, zodat het kantoor weet wat er moet veranderen" },
            ["note"],
          );
        // A code or an assertion is spent only if the decision commits (a refused step rolls its use back).
        ({ confirmation, assertion } = await this.confirmDecision(manager, actor, filing, decision, input));
        const administration = await manager.getRepository(Administration).findOneByOrFail({ id: filing.administrationId });
        xbrl = approvedXbrl(filing, administration, this.software, await correctsAcceptedReturn(manager, filing));
      },
      change: (filing, actor) => ({
        status: decision === "APPROVED" ? FilingStatus.APPROVED : FilingStatus.REJECTED,
        approvalDecision: decision,
        approvalByUserId: userIdOf(actor),
        approvalByLabel: actor.label,
        approvalAt: new Date(),
        approvalNote: input.note?.trim() || null,
        approvalVersion: filing.version,
        approvalContentHash: contentHash(filing),
        approvalConfirmation: confirmation,
        approvalAssertion: assertion,
        approvalXbrl: xbrl,
        approvalXbrlSha256: xbrl === null ? null : sha256(xbrl),
      }),
      action: decision === "APPROVED" ? "filing.approved" : "filing.rejected",
      note: input.note,
      details: (filing) => ({
        version: filing.version,
        contentHash: filing.approvalContentHash,
        xbrlSha256: filing.approvalXbrlSha256,
        confirmation: filing.approvalConfirmation,
        ...(filing.approvalAssertion ? { assertionSha256: sha256(canonicalJson(filing.approvalAssertion)) } : {}),
      }),
      notify: { kind: decision === "APPROVED" ? NotificationKind.FILING_APPROVED : NotificationKind.FILING_REJECTED, to: "STAFF" },
    });
  }

  /**
   * How the approver confirms a decision: with a passkey's assertion over the decision's challenge,
   * or a code from their authenticator app; nothing when they have neither. CONFIRMATION_REQUIRED
   * when they have one and gave nothing.
   */
  private async confirmDecision(
    manager: EntityManager,
    actor: Actor,
    filing: Filing,
    decision: "APPROVED" | "REJECTED",
    input: { confirmationCode?: string | null; confirmationPasskey?: AuthenticationResponseJSON | null },
  ): Promise<{ confirmation: Filing["approvalConfirmation"]; assertion: ApprovalAssertion | null }> {
    const userId = userIdOf(actor);
    if (input.confirmationPasskey && userId) {
      const challenge = approvalChallenge(filing, contentHash(filing), decision);
      const { passkey, rp } = await this.passkeys.verifyChallenge(manager, challenge, input.confirmationPasskey, userId, ["confirmationPasskey"]);
      return {
        confirmation: "PASSKEY",
        assertion: { response: input.confirmationPasskey, credentialId: passkey.credentialId, publicKey: passkey.publicKey.toString("base64url"), origin: rp.origin, rpId: rp.id },
      };
    }
    const code = await this.twoFactor.confirm(manager, actor, input.confirmationCode, ["confirmationCode"]);
    if (!code && userId && (await this.passkeys.hasAny(manager, userId))) {
      throw new UserError(UserErrorCode.CONFIRMATION_REQUIRED, { en: "Confirm your decision with your passkey", nl: "Bevestig uw besluit met uw passkey" }, [
        "confirmationPasskey",
      ]);
    }
    return { confirmation: code, assertion: null };
  }

  /** Passkey options for the viewer to confirm `decision` on the filing as it is now. */
  async decisionPasskeyOptions(viewer: Viewer, filingId: string, decision: "APPROVED" | "REJECTED") {
    const actor = requireUser(viewer);
    const filing = await findVisibleFiling(this.dataSource.manager, actor, filingId);
    await assertMayApprove(this.dataSource.manager, actor, filing.administrationId);
    return this.passkeys.confirmationOptions(actor.userId, approvalChallenge(filing, contentHash(filing), decision));
  }

  /** Back to draft after a decision, to change it; an approval given is void (the history keeps it). */
  reopen(viewer: Viewer, input: { filingId: string; note?: string | null }): Promise<Filing> {
    return this.step(viewer, input.filingId, {
      from: [FilingStatus.APPROVED, FilingStatus.REJECTED],
      check: async (_manager, actor) => assertFirmWork(actor),
      change: () => ({ status: FilingStatus.DRAFT, ...NO_DECISION }),
      action: "filing.reopened",
      note: input.note,
    });
  }

  /**
   * Deletes a draft, or a rejected filing, that the firm will not offer: its period is free for a new
   * one. The audit trail keeps its content hash and the note. Returns the filing as it was.
   */
  discard(viewer: Viewer, input: { filingId: string; note?: string | null }): Promise<Filing> {
    return this.step(viewer, input.filingId, {
      from: [FilingStatus.DRAFT, FilingStatus.REJECTED],
      check: async (_manager, actor) => assertFirmWork(actor),
      change: () => ({}),
      action: "filing.deleted",
      note: input.note,
      details: (filing) => ({ version: filing.version, contentHash: contentHash(filing), period: periodLabel(periodOf(filing)) }),
      remove: true,
    });
  }

  /**
   * The proofs of the decisions on `filings` (already visible to `actor`), by filing id: the
   * decision's audit event and the chain up to it, for staff (clients never read a trail). Three
   * statements for any number of filings.
   */
  async approvalProofs(actor: Actor, filings: Filing[]): Promise<Map<string, ApprovalProof>> {
    const decided = filings.filter((f) => f.approvalDecision && f.approvalAt);
    const proofs = new Map<string, ApprovalProof>();
    if (!readsAdministrationTrails(actor) || decided.length === 0) return proofs;
    const manager = this.dataSource.manager;
    const ids = decided.map((f) => f.id);
    const decisions = (await manager.query(
      `SELECT DISTINCT ON (subject_id) subject_id, administration_id, seq FROM audit_events
        WHERE firm_id = $1 AND subject_id = ANY($2::uuid[]) AND action IN ('filing.approved', 'filing.rejected')
        ORDER BY subject_id, seq DESC`,
      [actor.firmId, ids],
    )) as Array<{ subject_id: string; administration_id: string; seq: string }>;
    if (decisions.length === 0) return proofs;
    const xbrls = (await manager.query("SELECT id, approval_xbrl FROM filings WHERE id = ANY($1::uuid[])", [ids])) as Array<{ id: string; approval_xbrl: string | null }>;
    const chains = await manager
      .getRepository(AuditEvent)
      .createQueryBuilder("e")
      .where("e.firm_id = :firmId", { firmId: actor.firmId })
      .andWhere("EXISTS (SELECT 1 FROM unnest(:administrations::uuid[], :seqs::bigint[]) AS upto(a, s) WHERE upto.a = e.administration_id AND e.seq <= upto.s)", {
        administrations: decisions.map((d) => d.administration_id),
        seqs: decisions.map((d) => d.seq),
      })
      .orderBy("e.administration_id")
      .addOrderBy("e.seq")
      .getMany();
    const now = new Date();
    for (const filing of decided) {
      const decision = decisions.find((d) => d.subject_id === filing.id);
      if (!decision) continue;
      const chain = chains.filter((e) => e.administrationId === decision.administration_id && e.seq <= Number(decision.seq));
      const withXbrl = { ...filing, approvalXbrl: xbrls.find((x) => x.id === filing.id)?.approval_xbrl ?? null } as Filing;
      proofs.set(filing.id, approvalProof(withXbrl, chain, now));
    }
    return proofs;
  }

  /**
   * Runs one workflow step on the locked filing: state and version checked, the change saved, and
   * audit, notifications and the live event written in the same transaction.
   */
  async step(viewer: Viewer, filingId: string, step: Step): Promise<Filing> {
    const actor = requireActor(viewer);
    if (step.note && step.note.length > 2000)
      throw new UserError(UserErrorCode.INVALID, { en: "The note is longer than 2000 characters", nl: "De notitie is langer dan 2000 tekens" }, ["note"]);
    return inTransaction(this.dataSource, async (manager) => {
      const filing = await findVisibleFiling(manager, actor, filingId, true);
      await step.check?.(manager, actor, filing);
      if (!step.from.includes(filing.status)) {
        const by = decidedBy(filing);
        throw new UserError(
          UserErrorCode.WRONG_STATE,
          {
            en: `This ${KIND_NAME[filing.kind].en} ${STATE_MESSAGE[filing.status].en}${by.en}`,
            nl: `Deze ${KIND_NAME[filing.kind].nl} ${STATE_MESSAGE[filing.status].nl}${by.nl}`,
          },
          ["filingId"],
        );
      }
      if (step.version != null && step.version !== filing.version) {
        throw new UserError(
          UserErrorCode.STALE,
          {
            en: `This ${KIND_NAME[filing.kind].en} changed since you saw it (you saw version ${step.version}, it is now version ${filing.version}); look again first`,
            nl: `Deze ${KIND_NAME[filing.kind].nl} is gewijzigd sinds u die bekeek (u zag versie ${step.version}, nu is het versie ${filing.version}); bekijk die eerst opnieuw`,
          },
          ["version"],
        );
      }
      Object.assign(filing, step.change(filing, actor));
      if (!step.remove) await manager.getRepository(Filing).save(filing);
      await this.record(manager, actor, filing, step.action, step.note ?? null, step.details?.(filing) ?? { version: filing.version });
      if (step.remove) {
        await manager.getRepository(Filing).delete({ id: filing.id });
        return filing;
      }
      if (step.notify) await this.tell(manager, actor, filing, step.notify, step.note ?? null);
      await step.after?.(manager, filing);
      return manager.getRepository(Filing).findOneByOrFail({ id: filing.id });
    });
  }

  async record(manager: EntityManager, actor: Actor, filing: Filing, action: string, note: string | null, details: Record<string, unknown>): Promise<void> {
    await this.audit.record(manager, actor, {
      firmId: filing.firmId,
      administrationId: filing.administrationId,
      action,
      subjectType: FILING_TYPE_NAME[filing.kind],
      subjectId: filing.id,
      note: note?.trim() || null,
      details: { status: filing.status, ...details },
    });
    await this.bus.publish(manager, { topic: "filing.changed", administrationId: filing.administrationId, filingId: filing.id, action });
  }

  /** Notifies the administration's approvers or the firm's staff (never the actor themselves). */
  async tell(manager: EntityManager, actor: Actor, filing: Filing, notify: NonNullable<Step["notify"]>, note: string | null, extra: Record<string, string> = {}): Promise<void> {
    const actorUserId = userIdOf(actor);
    const recipients = notify.to === "APPROVERS" ? await portalClientIds(manager, filing.administrationId, { approversOnly: true }) : await firmStaffIds(manager, filing.firmId);
    const administration = await manager.getRepository(Administration).findOneByOrFail({ id: filing.administrationId });
    const params: FilingParams & Record<string, unknown> = {
      filingKind: filing.kind,
      period: periodLabel(periodOf(filing)),
      administration: administration.name,
      note: note?.trim() || null,
      by: actorUserId ? await this.displayName(manager, actorUserId) : actor.label,
      ...extra,
    };
    await this.notifications.notify(manager, {
      recipientUserIds: recipients.filter((id) => id !== actorUserId),
      firmId: filing.firmId,
      administrationId: filing.administrationId,
      kind: notify.kind,
      // Each kind takes the filing parameters plus its own (by, reference or reason).
      params: params as never,
      subject: { type: FILING_TYPE_NAME[filing.kind], id: filing.id },
    });
  }

  private async displayName(manager: EntityManager, userId: string): Promise<string> {
    const [row] = (await manager.query("SELECT name FROM users WHERE id = $1", [userId])) as Array<{ name: string }>;
    return row?.name ?? "";
  }

  /**
   * Warnings per filing: the rate checks of a VAT return, and box 3b against the ICP declaration of
   * the same period (and an ICP declaration against its VAT return), in one statement for a page.
   */
  async warnings(actor: Actor, filings: Filing[]): Promise<Map<string, FilingWarning[]>> {
    const result = new Map<string, FilingWarning[]>();
    if (filings.length === 0) return result;
    // A client sees the comparison only with a counterpart they may see themselves.
    const visible = (await latestOfTheirPeriods(this.dataSource.manager, filings)).filter((counterpart) => filingVisibleTo(actor, counterpart));
    for (const filing of filings) {
      const other = counterpartOf(filing, visible);
      if (filing.content.kind === FilingKind.VAT_RETURN) {
        const icp = other?.content.kind === FilingKind.ICP_DECLARATION ? icpTotal(other.content.lines) : null;
        result.set(filing.id, vatReturnWarnings(filing.content.entries, icp));
      } else {
        const box3b = other?.content.kind === FilingKind.VAT_RETURN ? other.content.entries.turnover["3b"] : null;
        const total = icpTotal(filing.content.lines);
        result.set(
          filing.id,
          box3b !== null && box3b !== total
            ? [{ code: "ICP_MISMATCH", message: `The total (€${total}) differs from box 3b of the VAT return of this period (€${box3b})`, field: ["lines"] }]
            : [],
        );
      }
    }
    return result;
  }

  /**
   * What preflight needs of each filing, in three statements for a page of filings: the
   * administration, the other return of its period, whether it goes as a suppletie.
   */
  private async preflightFacts(manager: EntityManager, filings: Filing[], viewer: Actor | null): Promise<Map<string, PreflightFacts>> {
    if (filings.length === 0) return new Map();
    const latest = await latestOfTheirPeriods(manager, filings);
    const administrations = await manager.getRepository(Administration).findBy({ id: In([...new Set(filings.map((f) => f.administrationId))]) });
    const suppleties = await suppletieIds(manager, filings);
    return new Map(
      filings.map((filing) => {
        const counterpart = counterpartOf(filing, latest);
        const facts: PreflightFacts = {
          administration: administrations.find((a) => a.id === filing.administrationId)!,
          counterpart,
          suppletie: suppleties.has(filing.id),
          counterpartVisible: !viewer || !counterpart || filingVisibleTo(viewer, counterpart),
        };
        return [filing.id, facts];
      }),
    );
  }

  /** Preflight problems per filing (filing-preflight.ts), worded for `viewer`: a client's do not show the figures of a draft they may not see. */
  async preflights(manager: EntityManager, filings: Filing[], viewer: Actor | null = null): Promise<Map<string, PreflightProblem[]>> {
    const facts = await this.preflightFacts(manager, filings, viewer);
    const now = new Date();
    return new Map(filings.map((filing) => [filing.id, preflight(filing, facts.get(filing.id)!, this.software, now)]));
  }

  /** Refuses a filing that does not pass preflight, listing every problem (in the firm's words); returns the facts it checked. */
  async assertPreflight(manager: EntityManager, filing: Filing): Promise<PreflightFacts> {
    const facts = (await this.preflightFacts(manager, [filing], null)).get(filing.id)!;
    const problems = preflight(filing, facts, this.software);
    throwIfAny(
      problems.map((p) => new UserError(UserErrorCode.INVALID, { en: `Not ready to file: ${p.message.en}`, nl: `Nog niet klaar om in te dienen: ${p.message.nl}` }, ["filingId"])),
    );
    return facts;
  }
}

/** A filing with no decision on its current content. */
const NO_DECISION: Partial<Filing> = {
  approvalDecision: null,
  approvalByUserId: null,
  approvalByLabel: null,
  approvalAt: null,
  approvalNote: null,
  approvalVersion: null,
  approvalContentHash: null,
  approvalConfirmation: null,
  approvalAssertion: null,
  approvalXbrl: null,
  approvalXbrlSha256: null,
};

function decidedBy(filing: Filing): Localized {
  if ((filing.status === FilingStatus.APPROVED || filing.status === FilingStatus.REJECTED) && filing.approvalByLabel) {
    return { en: ` (by ${filing.approvalByLabel} at ${filing.approvalAt?.toISOString()})`, nl: ` (door ${filing.approvalByLabel} op ${filing.approvalAt?.toISOString()})` };
  }
  return { en: "", nl: "" };
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

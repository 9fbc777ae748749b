// Submission of approved filings: submitFiling checks the approval still matches the content,
// builds the XBRL instance and marks the filing SUBMITTED; the `filing.submit` job hands it to the
// gateway (Digipoort or its simulator), and `filing.poll` jobs record each status the gateway
// reports until delivery (ACCEPTED) or a failure status (FAILED). Network calls never run in a request.
import { createHash } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { assertFirmWork, type SystemActor, type Viewer } from "../../core/actor.js";
import { UserError, UserErrorCode } from "../../core/errors.js";
import { inTransaction } from "../../db/transaction.js";
import type { JobQueue } from "../../jobs/job-queue.js";
import { Administration } from "../administrations/administration.entity.js";
import { NotificationKind } from "../notifications/notification-kinds.js";
import { Filing, FilingStatus, type SubmissionStatus } from "./filing.entity.js";
import { periodLabel, periodOf } from "./filing-period.js";
import type { FilingService } from "./filing.service.js";
import { contentHash } from "./filing-hash.js";
import { type FilingMessage, filingMessage, isUnfileable, taxpayerNumberOf } from "./filing-xbrl.js";
import { type FilingGateway, GatewayError, type GatewayStatus, type MessageKind, outcomeOf } from "./submission/gateway.js";

const GATEWAY_ACTOR: SystemActor = { type: "SYSTEM", label: "digipoort" };
const FILE_PREFIXES: Readonly<Record<MessageKind, string>> = { VAT_RETURN: "omzetbelasting", VAT_CORRECTION: "suppletie-omzetbelasting", ICP_DECLARATION: "icp" };

export interface SubmissionSettings {
  /** Seconds between status requests while a submission is pending. */
  pollIntervalSeconds: number;
  software: { name: string; version: string };
}

export class FilingSubmissions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly filings: FilingService,
    private readonly jobs: JobQueue,
    private readonly gateway: FilingGateway,
    private readonly settings: SubmissionSettings,
  ) {}

  /** Submits an approved filing whose content is exactly what the client approved. Staff only. */
  submit(viewer: Viewer, input: { filingId: string }): Promise<Filing> {
    let message: FilingMessage | null = null;
    return this.filings.step(viewer, input.filingId, {
      from: [FilingStatus.APPROVED],
      check: async (manager, actor, filing) => {
        assertFirmWork(actor);
        if (filing.approvalVersion !== filing.version || filing.approvalContentHash !== contentHash(filing)) {
          throw new UserError(
            UserErrorCode.WRONG_STATE,
            {
              en: "This filing changed after the client approved it: ask for approval again",
              nl: "Deze aangifte is gewijzigd nadat de klant die heeft goedgekeurd: vraag opnieuw om goedkeuring",
            },
            ["filingId"],
          );
        }
        // Preflight includes the identifiers: a filing that passes has a VAT number to file under.
        const { administration, suppletie } = await this.filings.assertPreflight(manager, filing);
        try {
          message = filingMessage(filing, administration, this.settings.software, { sentAt: new Date(), suppletie });
        } catch (error) {
          // The reason is the XBRL writer's or the taxonomy list's (submission/), in English only.
          if (isUnfileable(error))
            throw new UserError(
              UserErrorCode.INVALID,
              { en: `This filing cannot be filed electronically: ${error.message}`, nl: `Deze aangifte kan niet elektronisch worden ingediend: ${error.message}` },
              ["filingId"],
            );
          throw error;
        }
      },
      change: (_filing, actor) => ({
        status: FilingStatus.SUBMITTED,
        submittedByLabel: actor.label,
        submissionMessage: message!.xbrl,
        taxonomyRelease: message!.taxonomy.release.name,
        messageKind: message!.kind,
        submissionStatuses: [],
        failureReason: null,
      }),
      action: "filing.submitted",
      details: (filing) => ({
        version: filing.version,
        contentHash: contentHash(filing),
        messageSha256: createHash("sha256").update(message!.xbrl).digest("hex"),
        taxonomyRelease: message!.taxonomy.release.name,
        messageKind: message!.kind,
      }),
      after: (manager, filing) => this.jobs.send(manager, "filing.submit", { filingId: filing.id }),
    });
  }

  /**
   * The `filing.submit` job: hands the message to the gateway once and records its reference. A
   * passing problem is retried by the queue; on the last attempt it ends the filing FAILED, saying so.
   */
  async send(filingId: string, run: { attempt: number; lastAttempt: boolean } = { attempt: 1, lastAttempt: false }): Promise<void> {
    const filing = await this.dataSource.getRepository(Filing).createQueryBuilder("f").addSelect("f.submissionMessage").where("f.id = :filingId", { filingId }).getOne();
    if (!filing || filing.status !== FilingStatus.SUBMITTED || filing.submissionReference) return;
    const administration = await this.dataSource.getRepository(Administration).findOneByOrFail({ id: filing.administrationId });
    let receipt;
    try {
      const kind = filing.messageKind ?? filing.kind;
      receipt = await this.gateway.submit({
        kind,
        senderReference: filing.id,
        taxpayerVatNumber: taxpayerNumberOf(administration)!,
        xbrl: filing.submissionMessage!,
        filename: `${FILE_PREFIXES[kind]}-${periodLabel(periodOf(filing))}.xbrl`,
      });
    } catch (error) {
      // A refusal (or an outcome we cannot know) ends it; a passing network problem is retried by the queue.
      if (error instanceof GatewayError && !error.retryable) {
        await this.conclude(filingId, [], { state: "FAILED", reason: `${error.code}: ${error.message}` });
        return;
      }
      if (error instanceof GatewayError && run.lastAttempt) {
        await this.conclude(filingId, [], { state: "FAILED", reason: `${error.code}: ${error.message} (gave up after ${run.attempt} attempts; it never reached the gateway)` });
        return;
      }
      throw error;
    }
    await inTransaction(this.dataSource, async (manager) => {
      const locked = await this.lock(manager, filingId);
      if (!locked || locked.submissionReference) return;
      locked.submissionReference = receipt.reference;
      locked.submittedAt = receipt.submittedAt;
      await manager.getRepository(Filing).save(locked);
      await this.filings.record(manager, GATEWAY_ACTOR, locked, "filing.received_by_gateway", null, { reference: receipt.reference });
      await this.schedulePoll(manager, filingId);
    });
  }

  /** The `filing.poll` job: records new statuses; concludes on a final one, else polls again later. */
  async poll(filingId: string): Promise<void> {
    const filing = await this.dataSource.getRepository(Filing).findOneBy({ id: filingId });
    if (!filing || filing.status !== FilingStatus.SUBMITTED || !filing.submissionReference) return;
    let statuses: GatewayStatus[];
    try {
      statuses = await this.gateway.statuses(filing.submissionReference);
    } catch (error) {
      // An answer whose signature fails is kept out, and kept in the log: asking again is safe.
      if (!(error instanceof GatewayError) || error.code !== "ANSWER_NOT_TRUSTED") throw error;
      await inTransaction(this.dataSource, async (manager) => {
        await this.filings.record(manager, GATEWAY_ACTOR, filing, "filing.gateway_answer_refused", null, { reference: filing.submissionReference, reason: error.message });
        await this.schedulePoll(manager, filingId);
      });
      return;
    }
    await this.conclude(filingId, statuses, outcomeOf(statuses));
  }

  /** Safety net (scheduled): polls every pending submission whose chain of polls may have broken. */
  async pollPending(): Promise<void> {
    const pending = (await this.dataSource.query("SELECT id FROM filings WHERE status = 'SUBMITTED' AND submission_reference IS NOT NULL")) as Array<{ id: string }>;
    for (const { id } of pending) await this.jobs.send(null, "filing.poll", { filingId: id });
  }

  private async conclude(filingId: string, statuses: GatewayStatus[], outcome: ReturnType<typeof outcomeOf>): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      const filing = await this.lock(manager, filingId);
      if (!filing || filing.status !== FilingStatus.SUBMITTED) return;
      const known = new Set(filing.submissionStatuses.map(statusKey));
      const fresh: SubmissionStatus[] = statuses
        .map((s) => ({ code: s.code, description: s.description, at: s.at.toISOString(), error: s.error }))
        .filter((s) => !known.has(statusKey(s)));
      filing.submissionStatuses = [...filing.submissionStatuses, ...fresh];
      if (outcome.state === "ACCEPTED") filing.status = FilingStatus.ACCEPTED;
      if (outcome.state === "FAILED") {
        filing.status = FilingStatus.FAILED;
        filing.failureReason = outcome.reason;
      }
      await manager.getRepository(Filing).save(filing);
      for (const status of fresh) {
        await this.filings.record(manager, GATEWAY_ACTOR, filing, "filing.gateway_status", null, {
          code: status.code,
          description: status.description,
          at: status.at,
          error: status.error,
        });
      }
      if (outcome.state === "PENDING") {
        await this.schedulePoll(manager, filingId);
        return;
      }
      const reference = filing.submissionReference ?? "";
      if (outcome.state === "ACCEPTED") {
        await this.filings.record(manager, GATEWAY_ACTOR, filing, "filing.accepted", null, { reference });
        await this.filings.tell(manager, GATEWAY_ACTOR, filing, { kind: NotificationKind.FILING_ACCEPTED, to: "STAFF" }, null, { reference });
      } else {
        await this.filings.record(manager, GATEWAY_ACTOR, filing, "filing.failed", null, { reference, reason: outcome.reason });
        await this.filings.tell(manager, GATEWAY_ACTOR, filing, { kind: NotificationKind.FILING_FAILED, to: "STAFF" }, null, { reason: outcome.reason });
      }
    });
  }

  private lock(manager: EntityManager, filingId: string): Promise<Filing | null> {
    return manager.getRepository(Filing).createQueryBuilder("f").where("f.id = :filingId", { filingId }).setLock("pessimistic_write").getOne();
  }

  private schedulePoll(manager: EntityManager, filingId: string): Promise<void> {
    return this.jobs.send(manager, "filing.poll", { filingId }, { startAfter: this.settings.pollIntervalSeconds });
  }
}

function statusKey(status: { code: number; at: string }): string {
  return `${status.code}@${status.at}`;
}

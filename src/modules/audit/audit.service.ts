// The tamper-evident log: one hash chain per administration (and one for the firm's own events).
// Every state-changing service call records here inside the transaction that makes the change, so
// the change and its log entry commit or roll back together; appends to a chain are serialised by
// an advisory lock, and the chain's head is kept by a database trigger (see verify). Who reads a
// trail is decided in audit.policy.ts; histories of single subjects are loaded in audit.loaders.ts.
import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import type { Actor } from "../../core/actor.js";
import { NotFoundError } from "../../core/errors.js";
import { type PageArgs, paginate } from "../../db/pagination.js";
import { readableChain } from "./audit.policy.js";
import { auditHash, GENESIS_HASH } from "./audit-chain.js";
import { ActorType, AuditEvent } from "./audit-event.entity.js";

export interface AuditEntry {
  firmId: string;
  /** null for firm-level events (staff, API tokens). */
  administrationId: string | null;
  action: string;
  subjectType?: string | null;
  subjectId?: string | null;
  note?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditVerification {
  valid: boolean;
  eventCount: number;
  /** Sequence number of the first link that does not verify. */
  firstInvalidSeq: number | null;
  problem: string | null;
}

const VERIFY_BATCH = 1000;

function actorFields(actor: Actor): Pick<AuditEvent, "actorType" | "actorId" | "actorLabel"> {
  switch (actor.type) {
    case "USER":
      return { actorType: ActorType.USER, actorId: actor.userId, actorLabel: actor.label };
    case "API_TOKEN":
      return { actorType: ActorType.API_TOKEN, actorId: actor.tokenId, actorLabel: actor.label };
    case "SYSTEM":
      return { actorType: ActorType.SYSTEM, actorId: null, actorLabel: actor.label };
  }
}

export class AuditService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly maxPageSize: number,
  ) {}

  /** Appends a link to its chain inside the caller's transaction. */
  async record(manager: EntityManager, actor: Actor, entry: AuditEntry): Promise<AuditEvent> {
    if (!manager.queryRunner?.isTransactionActive) throw new Error("AuditService.record must run inside a transaction");
    const chainKey = entry.administrationId ?? entry.firmId;
    // Serialise appends per chain until commit, so links never fork.
    await manager.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 7))", [chainKey]);
    const [last] = (await manager.query(`SELECT seq, hash FROM audit_events WHERE firm_id = $1 AND coalesce(administration_id, firm_id) = $2 ORDER BY seq DESC LIMIT 1`, [
      entry.firmId,
      chainKey,
    ])) as Array<{ seq: string; hash: string }>;
    const fields = {
      firmId: entry.firmId,
      administrationId: entry.administrationId,
      seq: last ? Number(last.seq) + 1 : 1,
      occurredAt: new Date(),
      ...actorFields(actor),
      action: entry.action,
      subjectType: entry.subjectType ?? null,
      subjectId: entry.subjectId ?? null,
      note: entry.note ?? null,
      details: entry.details ?? {},
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    const event = manager.getRepository(AuditEvent).create({ id: randomUUID(), ...fields, hash: auditHash(fields) });
    // jsonb `details` is typed loosely by TypeORM's insert types; the entity is complete.
    await manager.getRepository(AuditEvent).insert(event as never);
    return event;
  }

  private chainQuery(firmId: string, chainKey: string, manager: EntityManager = this.dataSource.manager) {
    return manager
      .getRepository(AuditEvent)
      .createQueryBuilder("e")
      .where("e.firm_id = :firmId", { firmId })
      .andWhere("coalesce(e.administration_id, e.firm_id) = :chainKey", { chainKey });
  }

  /** Newest first. */
  async list(actor: Actor, administrationId: string | null, page: PageArgs) {
    const { firmId, chainKey } = await readableChain(this.dataSource.manager, actor, administrationId);
    return paginate(this.chainQuery(firmId, chainKey), page, { expr: "e.seq", type: "bigint", direction: "DESC", idExpr: "e.id" }, this.maxPageSize);
  }

  /**
   * Walks the whole chain, recomputing every hash and link, and compares its end with the chain's
   * head (kept by a trigger): a missing tail or a rewritten, re-hashed suffix does not verify.
   */
  async verify(actor: Actor, administrationId: string | null): Promise<AuditVerification> {
    const { firmId, chainKey } = await readableChain(this.dataSource.manager, actor, administrationId);
    // Head and events from one snapshot: an event committed meanwhile must not look like tampering.
    const { head, walked } = await this.dataSource.transaction("REPEATABLE READ", async (manager) => {
      const [found] = (await manager.query("SELECT seq, hash FROM audit_chain_heads WHERE chain_key = $1 AND firm_id = $2", [chainKey, firmId])) as Array<{
        seq: string;
        hash: string;
      }>;
      return { head: found, walked: await this.walk(firmId, chainKey, manager) };
    });
    if (!walked.valid) return walked;
    const headSeq = head ? Number(head.seq) : 0;
    const problem = (firstInvalidSeq: number, text: string): AuditVerification => ({ valid: false, eventCount: walked.eventCount, firstInvalidSeq, problem: text });
    if (headSeq > walked.eventCount) return problem(walked.eventCount + 1, `events ${walked.eventCount + 1} to ${headSeq} are missing: the trail ends before its recorded head`);
    if (headSeq < walked.eventCount) return problem(headSeq + 1, `events after ${headSeq} were not recorded through the trail`);
    if (head && head.hash !== walked.lastHash) return problem(headSeq, `event ${headSeq} does not match the chain's recorded head: the trail was rewritten`);
    return { valid: true, eventCount: walked.eventCount, firstInvalidSeq: null, problem: null };
  }

  /** Recomputes every hash and link of one chain, oldest first. */
  private async walk(firmId: string, chainKey: string, manager: EntityManager): Promise<AuditVerification & { lastHash: string }> {
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let count = 0;
    while (true) {
      const batch = await this.chainQuery(firmId, chainKey, manager).andWhere("e.seq >= :from", { from: expectedSeq }).orderBy("e.seq", "ASC").limit(VERIFY_BATCH).getMany();
      for (const event of batch) {
        const seq = Number(event.seq);
        const fail = (problem: string) => ({ valid: false, eventCount: count, firstInvalidSeq: seq, problem, lastHash: prevHash });
        if (seq !== expectedSeq) {
          return { valid: false, eventCount: count, firstInvalidSeq: expectedSeq, problem: `event ${expectedSeq} is missing`, lastHash: prevHash };
        }
        if (event.prevHash !== prevHash) return fail(`event ${seq} does not link to event ${seq - 1}`);
        if (auditHash(event) !== event.hash) return fail(`event ${seq} was changed after it was recorded`);
        prevHash = event.hash;
        expectedSeq = seq + 1;
        count += 1;
      }
      if (batch.length < VERIFY_BATCH) break;
    }
    return { valid: true, eventCount: count, firstInvalidSeq: null, problem: null, lastHash: prevHash };
  }

  async findVisible(actor: Actor, id: string): Promise<AuditEvent> {
    const event = await this.dataSource.getRepository(AuditEvent).findOneBy({ id });
    if (!event) throw new NotFoundError("AuditEvent");
    try {
      await readableChain(this.dataSource.manager, actor, event.administrationId);
    } catch {
      throw new NotFoundError("AuditEvent");
    }
    if (actor.type !== "SYSTEM" && event.firmId !== actor.firmId) throw new NotFoundError("AuditEvent");
    return event;
  }
}

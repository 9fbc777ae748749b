// A person's sessions: the list (where and when each was made and last used) and ending them. An
// ended session's token stops working at once, and its open WebSockets are closed (the bus tells
// every instance).
import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { requireUser, sessionIdOf, type UserActor, type Viewer } from "../../core/actor.js";
import { NotFoundError, UserError, UserErrorCode } from "../../core/errors.js";
import { inTransaction } from "../../db/transaction.js";
import type { EventBus } from "../../events/bus.js";
import type { AuditService } from "../audit/audit.service.js";
import { Session } from "./session.entity.js";
import { ownsSessionsOf } from "./session.policy.js";
import type { User } from "../users/user.entity.js";
import { hashSecret, newSecret, TOKEN_PREFIX } from "./tokens.js";

/** Where a session is made from, for the person's list of sessions. */
export interface SessionClient {
  address: string;
  userAgent: string | null;
}

/** A new session: its secret, its user and the actor it authenticates. */
export interface SignedIn {
  token: string;
  user: User;
  expiresAt: Date;
  actor: UserActor;
}

/** The actor of a person's request (`sessionId` null while they sign in, before the session exists). */
export function userActor(user: User, sessionId: string | null): UserActor {
  return { type: "USER", userId: user.id, firmId: user.firmId, role: user.role, label: user.email, sessionId, language: user.language };
}

/** Makes a session for `user`: only its token's hash is stored. */
export async function createSession(manager: EntityManager, user: User, client: SessionClient, ttlSeconds: number): Promise<SignedIn> {
  const token = newSecret(TOKEN_PREFIX.session);
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  const id = randomUUID();
  await manager.getRepository(Session).insert({
    id,
    userId: user.id,
    tokenHash: hashSecret(token),
    expiresAt,
    revokedAt: null,
    address: client.address.slice(0, 100),
    userAgent: client.userAgent?.slice(0, 300) ?? null,
    lastUsedAt: new Date(),
  });
  return { token, user, expiresAt, actor: userActor(user, id) };
}

/** Revokes every live session of the user (or users), but `keep` (the one asking); returns how many ended. */
export async function revokeSessions(manager: EntityManager, bus: EventBus, userIds: string | string[], keep: string | null = null): Promise<number> {
  const [rows] = (await manager.query(
    `UPDATE sessions SET revoked_at = now() WHERE user_id = ANY($1::uuid[]) AND revoked_at IS NULL AND expires_at > now() AND ($2::uuid IS NULL OR id <> $2) RETURNING id`,
    [Array.isArray(userIds) ? userIds : [userIds], keep],
  )) as [Array<{ id: string }>, number];
  for (const { id } of rows) await bus.publish(manager, { topic: "session.revoked", sessionId: id });
  return rows.length;
}

export class SessionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
    private readonly audit: AuditService,
  ) {}

  /** The live sessions of `userId`, last used first; empty unless they are the viewer's own. */
  async live(viewer: Viewer, userId: string): Promise<Session[]> {
    if (!ownsSessionsOf(viewer, userId)) return [];
    return this.dataSource
      .getRepository(Session)
      .createQueryBuilder("s")
      .where("s.user_id = :userId AND s.revoked_at IS NULL AND s.expires_at > now()", { userId })
      .orderBy("s.last_used_at", "DESC", "NULLS LAST")
      .addOrderBy("s.created_at", "DESC")
      .getMany();
  }

  /** Ends one of the viewer's own sessions (this one too, if they ask). */
  async revoke(viewer: Viewer, sessionId: string): Promise<Session> {
    const actor = requireUser(viewer);
    return inTransaction(this.dataSource, async (manager) => {
      const session = await manager.getRepository(Session).findOneBy({ id: sessionId });
      if (!session || !ownsSessionsOf(actor, session.userId)) throw new NotFoundError("Session");
      if (session.revokedAt || session.expiresAt.getTime() <= Date.now())
        throw new UserError(UserErrorCode.WRONG_STATE, { en: "This session has ended already", nl: "Deze sessie is al beëindigd" }, ["sessionId"]);
      await manager.getRepository(Session).update({ id: session.id }, { revokedAt: new Date() });
      await this.bus.publish(manager, { topic: "session.revoked", sessionId: session.id });
      await this.audit.record(manager, actor, {
        firmId: actor.firmId,
        administrationId: null,
        action: "auth.session_revoked",
        subjectType: "User",
        subjectId: actor.userId,
        details: { sessionId: session.id, address: session.address },
      });
      return manager.getRepository(Session).findOneByOrFail({ id: session.id });
    });
  }

  /** Ends every session of the viewer, this one included; returns how many. */
  async signOutEverywhere(viewer: Viewer): Promise<number> {
    const actor = requireUser(viewer);
    return inTransaction(this.dataSource, async (manager) => {
      const ended = await revokeSessions(manager, this.bus, actor.userId);
      await this.audit.record(manager, actor, {
        firmId: actor.firmId,
        administrationId: null,
        action: "auth.signed_out_everywhere",
        subjectType: "User",
        subjectId: actor.userId,
        details: { sessionsEnded: ended, from: sessionIdOf(actor) },
      });
      return ended;
    });
  }
}

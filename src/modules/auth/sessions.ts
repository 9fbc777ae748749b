// Ending sessions: the token stops working at once, and open WebSockets of the session are closed
// (the bus tells every instance).
import type { EntityManager } from "typeorm";
import type { EventBus } from "../../events/bus.js";

/** Revokes every live session of the user, but `keep` (the one asking); returns how many ended. */
export async function revokeSessions(manager: EntityManager, bus: EventBus, userId: string, keep: string | null = null): Promise<number> {
  const [rows] = (await manager.query(
    `UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now() AND ($2::uuid IS NULL OR id <> $2) RETURNING id`,
    [userId, keep],
  )) as [Array<{ id: string }>, number];
  for (const { id } of rows) await bus.publish(manager, { topic: "session.revoked", sessionId: id });
  return rows.length;
}

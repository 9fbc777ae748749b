// Batched loads of audit events: the history of each of a page of subjects in one statement.
import DataLoader from "dataloader";
import type { DataSource, SelectQueryBuilder } from "typeorm";
import { type Actor, requireActor } from "../../core/actor.js";
import { groupByKey, type LoaderFactory } from "../../graphql/loaders.js";
import { AuditEvent } from "./audit-event.entity.js";

/**
 * Events about each of `ids` in the actor's firm, oldest first, optionally narrowed by a module's
 * policy (alias "e"). No rule of its own: callers reach it through visible subjects and decide with
 * their module's policy who reads a history.
 */
export async function historiesOf(
  dataSource: DataSource,
  actor: Actor,
  ids: readonly string[],
  narrow: (qb: SelectQueryBuilder<AuditEvent>) => unknown = () => undefined,
): Promise<AuditEvent[][]> {
  const qb = dataSource
    .getRepository(AuditEvent)
    .createQueryBuilder("e")
    .where("e.subject_id IN (:...ids)", { ids: [...ids] });
  if (actor.type !== "SYSTEM") qb.andWhere("e.firm_id = :firmId", { firmId: actor.firmId });
  narrow(qb);
  return groupByKey(ids, await qb.orderBy("e.occurred_at", "ASC").addOrderBy("e.seq", "ASC").getMany(), (e) => e.subjectId!);
}

/** Each subject's history, unnarrowed (documents and folders: their policies let only staff read one). */
export const historyBySubjectId: LoaderFactory<string, AuditEvent[]> = ({ dataSource }, viewer) => new DataLoader((ids) => historiesOf(dataSource, requireActor(viewer), ids));

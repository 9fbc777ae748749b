// Batched loads of audit events: the history (or a page of the events) of each of a page of
// subjects in one statement.
import DataLoader from "dataloader";
import type { DataSource, SelectQueryBuilder } from "typeorm";
import { type Actor, requireActor } from "../../core/actor.js";
import { type Page, type PageArgs, paginateEach, type SortSpec } from "../../db/pagination.js";
import { groupByKey, type LoaderFactory, type PageKey, pagesLoader } from "../../graphql/loaders.js";
import type { Services } from "../../services.js";
import { AuditEvent } from "./audit-event.entity.js";

/**
 * Events about each of `ids` in the actor's firm, optionally narrowed by a module's policy (alias
 * "e"). No rule of its own: callers reach it through visible subjects and decide with their
 * module's policy who reads a history.
 */
function eventsAbout(dataSource: DataSource, actor: Actor, ids: readonly string[], narrow: Narrowing): SelectQueryBuilder<AuditEvent> {
  const qb = dataSource
    .getRepository(AuditEvent)
    .createQueryBuilder("e")
    .where("e.subject_id IN (:...ids)", { ids: [...ids] });
  if (actor.type !== "SYSTEM") qb.andWhere("e.firm_id = :firmId", { firmId: actor.firmId });
  narrow(qb);
  return qb;
}

type Narrowing = (qb: SelectQueryBuilder<AuditEvent>) => unknown;
const everything: Narrowing = () => undefined;

/** Each subject's whole history, oldest first (the deprecated `history` lists). */
export async function historiesOf(dataSource: DataSource, actor: Actor, ids: readonly string[], narrow: Narrowing = everything): Promise<AuditEvent[][]> {
  const events = await eventsAbout(dataSource, actor, ids, narrow).orderBy("e.seq", "ASC").addOrderBy("e.id", "ASC").getMany();
  return groupByKey(ids, events, (e) => e.subjectId!);
}

/** A subject's events in its chain's order (oldest first); the index (subject_id, seq) serves it. */
const EVENT_ORDER: SortSpec = { expr: "e.seq", type: "bigint", direction: "ASC", idExpr: "e.id" };

/** The same page of each subject's events, in one statement (the `events` connections). */
export function eventPagesOf(
  { dataSource, config }: Services,
  actor: Actor,
  ids: readonly string[],
  page: PageArgs,
  narrow: Narrowing = everything,
): Promise<Array<Page<AuditEvent>>> {
  return paginateEach(eventsAbout(dataSource, actor, ids, narrow), { expr: "e.subject_id", of: (e) => e.subjectId! }, ids, page, EVENT_ORDER, config.graphql.maxPageSize);
}

/** Each subject's history, unnarrowed (documents and folders: their policies let only staff read one). */
export const historyBySubjectId: LoaderFactory<string, AuditEvent[]> = ({ dataSource }, viewer) => new DataLoader((ids) => historiesOf(dataSource, requireActor(viewer), ids));

/** A page of each subject's events, unnarrowed (as `historyBySubjectId`). */
export const eventPagesBySubjectId: LoaderFactory<PageKey, Page<AuditEvent>> = (services, viewer) =>
  pagesLoader((ids, page) => eventPagesOf(services, requireActor(viewer), ids, page));

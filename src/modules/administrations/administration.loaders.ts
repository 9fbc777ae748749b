import DataLoader from "dataloader";
import { In } from "typeorm";
import { byKey, groupByKey, type LoaderFactory, visibleById } from "../../graphql/loaders.js";
import { Administration } from "./administration.entity.js";
import { scopeVisibleAdministrations } from "./administration.policy.js";
import { Membership } from "./membership.entity.js";

/** Administrations by id (no access check: callers reach them through checked objects). */
export const administrationById: LoaderFactory<string, Administration | null> = ({ dataSource }) =>
  new DataLoader(async (ids) => byKey(ids, await dataSource.getRepository(Administration).findBy({ id: In([...ids]) }), (a) => a.id));

/** Administrations by id, as the viewer may see them (null: not visible). */
export const visibleAdministrationById = visibleById(Administration, scopeVisibleAdministrations);

export const membershipsByAdministrationId: LoaderFactory<string, Membership[]> = ({ dataSource }) =>
  new DataLoader(async (ids) =>
    groupByKey(
      ids,
      await dataSource.getRepository(Membership).find({ where: { administrationId: In([...ids]) }, order: { createdAt: "ASC", id: "ASC" } }),
      (m) => m.administrationId,
    ),
  );

export const membershipsByUserId: LoaderFactory<string, Membership[]> = ({ dataSource }) =>
  new DataLoader(async (ids) =>
    groupByKey(ids, await dataSource.getRepository(Membership).find({ where: { userId: In([...ids]) }, order: { createdAt: "ASC", id: "ASC" } }), (m) => m.userId),
  );

import DataLoader from "dataloader";
import { In } from "typeorm";
import { byKey, groupByKey, type LoaderFactory } from "../../graphql/loaders.js";
import { Administration } from "./administration.entity.js";
import { Membership } from "./membership.entity.js";

/** Administrations by id (no access check: callers reach them through checked objects). */
export const administrationById: LoaderFactory<string, Administration | null> = ({ dataSource }) =>
  new DataLoader(async (ids) => byKey(ids, await dataSource.getRepository(Administration).findBy({ id: In([...ids]) }), (a) => a.id));

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

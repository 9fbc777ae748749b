import DataLoader from "dataloader";
import { In } from "typeorm";
import { byKey, type LoaderFactory } from "../../graphql/loaders.js";
import { Firm } from "./firm.entity.js";

/** Firms by id (no access check: callers reach a firm only through objects already checked). */
export const firmById: LoaderFactory<string, Firm | null> = ({ dataSource }) =>
  new DataLoader(async (ids) => byKey(ids, await dataSource.getRepository(Firm).findBy({ id: In([...ids]) }), (f) => f.id));

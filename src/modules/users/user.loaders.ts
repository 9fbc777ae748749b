import DataLoader from "dataloader";
import { In } from "typeorm";
import { byKey, type LoaderFactory } from "../../graphql/loaders.js";
import { User } from "./user.entity.js";

/** Users by id (no access check: callers apply user.policy to what they show). */
export const userById: LoaderFactory<string, User | null> = ({ dataSource }) =>
  new DataLoader(async (ids) => byKey(ids, await dataSource.getRepository(User).findBy({ id: In([...ids]) }), (u) => u.id));

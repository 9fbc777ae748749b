// A person's second factor as a field of User: one statement per request however often the viewer
// appears in it (as the creator of every API token listed, say); others' are never loaded.
import DataLoader from "dataloader";
import type { LoaderFactory } from "../../graphql/loaders.js";
import type { TwoFactorStatus } from "./two-factor.js";

export const twoFactorStatusByUserId: LoaderFactory<string, TwoFactorStatus | null> = ({ twoFactor }, viewer) =>
  new DataLoader((userIds) => Promise.all(userIds.map((userId) => twoFactor.status(viewer, userId))));

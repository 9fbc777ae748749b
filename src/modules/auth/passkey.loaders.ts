// A person's passkeys as a field of User: one statement per request however often the viewer
// appears in it; others' are never loaded.
import DataLoader from "dataloader";
import type { LoaderFactory } from "../../graphql/loaders.js";
import type { Passkey } from "./two-factor.entity.js";

export const passkeysByUserId: LoaderFactory<string, Passkey[]> = ({ passkeys }, viewer) =>
  new DataLoader((userIds) => Promise.all(userIds.map((userId) => passkeys.list(viewer, userId))));

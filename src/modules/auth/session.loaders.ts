// A person's sessions as a field of User: one statement per request, however many times the viewer
// appears in it (as uploader, member, author …); others' sessions are never loaded.
import DataLoader from "dataloader";
import type { LoaderFactory } from "../../graphql/loaders.js";
import type { Session } from "./session.entity.js";

export const liveSessionsByUserId: LoaderFactory<string, Session[]> = ({ sessions }, viewer) =>
  new DataLoader((userIds) => Promise.all(userIds.map((userId) => sessions.live(viewer, userId))));

// Sessions are a person's own: they list and end only theirs (another's session does not exist for
// them); API tokens and the system have none.
import { userIdOf, type Viewer } from "../../core/actor.js";

/** Whether `viewer` may see and end the sessions of `userId`. */
export function ownsSessionsOf(viewer: Viewer, userId: string): boolean {
  return userIdOf(viewer) === userId;
}

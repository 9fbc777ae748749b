import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { toGlobalId } from "../../graphql/global-id.js";
import { type PayloadBase, UserErrorType } from "../../graphql/payload.js";
import { DateTime } from "../../graphql/scalars.js";
import type { Session } from "./session.entity.js";

@ObjectType("Session", { description: "A signed-in session of the viewer: where and when it was made, when last used." })
export class SessionType {
  @Field(() => ID, { description: "Global ID (to end it with revokeSession)." })
  id: string;

  @Field(() => DateTime, { description: "When it was signed in." })
  createdAt: Date;

  @Field(() => DateTime, { nullable: true, description: "When it was last used (noted every few minutes)." })
  lastUsedAt: Date | null;

  @Field(() => DateTime, { description: "When it ends by itself." })
  expiresAt: Date;

  @Field(() => String, { nullable: true, description: "The address it was signed in from (behind a proxy as TRUST_PROXY reads it)." })
  address: string | null;

  @Field(() => String, { nullable: true, description: "The browser or app it was signed in with (its User-Agent)." })
  userAgent: string | null;

  @Field(() => Boolean, { description: "Whether it is the session of this request." })
  current: boolean;

  static from(session: Session, currentSessionId: string | null): SessionType {
    return Object.assign(new SessionType(), {
      id: toGlobalId("Session", session.id),
      createdAt: session.createdAt,
      lastUsedAt: session.lastUsedAt,
      expiresAt: session.expiresAt,
      address: session.address,
      userAgent: session.userAgent,
      current: session.id === currentSessionId,
    });
  }
}

@InputType("RevokeSessionInput", { description: "End one of one's own sessions." })
export class RevokeSessionInput {
  @Field(() => ID, { description: "The session (from viewer.sessions)." })
  sessionId: string;
}

@ObjectType("RevokeSessionPayload", { description: "The ended session." })
export class RevokeSessionPayload implements PayloadBase {
  @Field(() => SessionType, { nullable: true, description: "The session, now ended." })
  session: SessionType | null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

@ObjectType("SignOutEverywherePayload", { description: "How many sessions ended." })
export class SignOutEverywherePayload implements PayloadBase {
  @Field(() => Int, { description: "Sessions ended, this one included." })
  sessionsEnded = 0;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

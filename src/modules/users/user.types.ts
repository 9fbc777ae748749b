import { Field, ObjectType, registerEnumType } from "type-graphql";
import { toGlobalId } from "../../graphql/global-id.js";
import { Node } from "../../graphql/relay.js";
import { DateTime } from "../../graphql/scalars.js";
import { Language, type User, UserStatus } from "./user.entity.js";
import { UserRole } from "../../core/roles.js";

registerEnumType(UserRole, {
  name: "UserRole",
  description: "What a person is to the firm.",
  valuesConfig: {
    FIRM_ADMIN: { description: "Runs the firm's account: staff, administrations, API tokens." },
    ACCOUNTANT: { description: "Works the administrations of the firm." },
    CLIENT: { description: "A client's user of the portal of one or more administrations." },
  },
});
registerEnumType(UserStatus, {
  name: "UserStatus",
  description: "Whether a person can sign in.",
  valuesConfig: {
    INVITED: { description: "Invited; has not set a password yet." },
    ACTIVE: { description: "Can sign in." },
    DISABLED: { description: "Can no longer sign in." },
  },
});
registerEnumType(Language, {
  name: "Language",
  description: "Language for mail and the portal.",
  valuesConfig: { NL: { description: "Dutch." }, EN: { description: "English." } },
});

@ObjectType("User", { implements: Node, description: "A person: firm staff or a client user." })
export class UserType extends Node {
  @Field(() => String, { description: "Sign-in email address (lower case)." })
  email: string;

  @Field(() => String, { description: "Display name." })
  name: string;

  @Field(() => UserRole, { description: "Role within the firm." })
  role: UserRole;

  @Field(() => UserStatus, { description: "Whether the person can sign in." })
  status: UserStatus;

  @Field(() => Language, { description: "Preferred language." })
  language: Language;

  @Field(() => DateTime, { description: "When the account was created." })
  createdAt: Date;

  entityId: string;
  firmId: string;

  static from(user: User): UserType {
    return Object.assign(new UserType(), {
      id: toGlobalId("User", user.id),
      entityId: user.id,
      firmId: user.firmId,
      email: user.email,
      name: user.name,
      role: user.role,
      status: user.status,
      language: user.language,
      createdAt: user.createdAt,
    });
  }
}

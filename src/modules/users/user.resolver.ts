import { Arg, Args, Ctx, FieldResolver, InputType, Field, Mutation, ObjectType, Query, Resolver, Root } from "type-graphql";
import { requireActor } from "../../core/actor.js";
import { NotFoundError } from "../../core/errors.js";
import type { GraphQLContext } from "../../graphql/context.js";
import { type PayloadBase, runPayload, UserErrorType } from "../../graphql/payload.js";
import { Connection, ConnectionArgs, toConnection } from "../../graphql/relay.js";
import { administrationById, membershipsByUserId } from "../administrations/administration.loaders.js";
import { reachableMemberships } from "../administrations/administration.policy.js";
import { MembershipType } from "../administrations/administration.types.js";
import { firmById } from "../firms/firm.loaders.js";
import { FirmType } from "../firms/firm.types.js";
import { Language } from "./user.entity.js";
import { UserRole } from "../../core/roles.js";
import { UserType } from "./user.types.js";

export const UserConnection = Connection(UserType, "User");

@InputType("UpdateProfileInput", { description: "The signed-in user's own settings." })
export class UpdateProfileInput {
  @Field(() => String, { nullable: true, description: "Display name." })
  name?: string | null;

  @Field(() => Language, { nullable: true, description: "Preferred language." })
  language?: Language | null;
}

@ObjectType("UpdateProfilePayload", { description: "Result of updating one's profile." })
export class UpdateProfilePayload implements PayloadBase {
  @Field(() => UserType, { nullable: true, description: "The updated user." })
  user: UserType | null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

@Resolver(() => UserType)
export class UserResolver {
  @Query(() => UserType, { description: "The signed-in user. UNAUTHENTICATED without a token; FORBIDDEN for an API token." })
  async viewer(@Ctx() ctx: GraphQLContext): Promise<UserType> {
    return UserType.from(await ctx.services.users.me(ctx.viewer));
  }

  @Query(() => UserConnection, { description: "The firm's people, by name (staff only)." })
  async users(
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg("role", () => UserRole, { nullable: true, description: "Only people with this role." }) role: UserRole | null,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toConnection(UserConnection, await ctx.services.users.list(ctx.viewer, { role }, page), UserType.from);
  }

  @Mutation(() => UpdateProfilePayload, { description: "Change one's own name or language." })
  updateProfile(@Arg("input", () => UpdateProfileInput, { description: "What to do; see the input type." }) input: UpdateProfileInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(UpdateProfilePayload, async () => ({ user: UserType.from(await ctx.services.users.updateProfile(ctx.viewer, input)) }));
  }

  @FieldResolver(() => FirmType, { description: "The firm the person belongs to." })
  async firm(@Root() user: UserType, @Ctx() ctx: GraphQLContext): Promise<FirmType> {
    const firm = await ctx.loaders.get(firmById).load(user.firmId);
    if (!firm) throw new NotFoundError("Firm");
    return FirmType.from(firm);
  }

  @FieldResolver(() => [MembershipType], {
    description: "The administrations a client user has access to (empty for staff, who see all of the firm's).",
  })
  async memberships(@Root() user: UserType, @Ctx() ctx: GraphQLContext): Promise<MembershipType[]> {
    const actor = requireActor(ctx.viewer);
    const memberships = await ctx.loaders.get(membershipsByUserId).load(user.entityId);
    const shown = await reachableMemberships(actor, memberships, (ids) => ctx.loaders.get(administrationById).loadMany(ids));
    return shown.map(MembershipType.from);
  }
}

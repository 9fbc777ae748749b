import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { GraphQLContext } from "../../graphql/context.js";
import { fromGlobalId } from "../../graphql/global-id.js";
import { runPayload } from "../../graphql/payload.js";
import { ConnectionArgs, toConnection } from "../../graphql/relay.js";
import { firmById } from "../firms/firm.loaders.js";
import { FirmType } from "../firms/firm.types.js";
import { userById } from "../users/user.loaders.js";
import { UserType } from "../users/user.types.js";
import { requireActor } from "../../core/actor.js";
import { NotFoundError } from "../../core/errors.js";
import { administrationById, membershipsByAdministrationId } from "./administration.loaders.js";
import { visibleMemberships } from "./administration.policy.js";
import {
  AddMemberInput,
  AdministrationConnection,
  AdministrationFilterInput,
  AdministrationPayload,
  AdministrationType,
  CreateAdministrationInput,
  MembershipPayload,
  MembershipType,
  RemoveMemberInput,
  RemoveMemberPayload,
  UpdateAdministrationInput,
  UpdateMemberInput,
} from "./administration.types.js";

@Resolver(() => AdministrationType)
export class AdministrationResolver {
  @Query(() => AdministrationConnection, { description: "The administrations the viewer may see, by name." })
  async administrations(
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg("filter", () => AdministrationFilterInput, { nullable: true, description: "Narrow the list." }) filter: AdministrationFilterInput | null,
    @Ctx() ctx: GraphQLContext,
  ) {
    const result = await ctx.services.administrations.list(ctx.viewer, filter ?? {}, page);
    return toConnection(AdministrationConnection, result, AdministrationType.from);
  }

  @Query(() => AdministrationType, { description: "One administration; NOT_FOUND when the viewer may not see it." })
  async administration(@Arg("id", () => ID, { description: "Global ID of the administration." }) id: string, @Ctx() ctx: GraphQLContext): Promise<AdministrationType> {
    return AdministrationType.from(await ctx.services.administrations.get(ctx.viewer, fromGlobalId(id, "Administration")));
  }

  @FieldResolver(() => FirmType, { description: "The firm that keeps the books." })
  async firm(@Root() administration: AdministrationType, @Ctx() ctx: GraphQLContext): Promise<FirmType> {
    const firm = await ctx.loaders.get(firmById).load(administration.firmId);
    if (!firm) throw new NotFoundError("Firm");
    return FirmType.from(firm);
  }

  @FieldResolver(() => [MembershipType], { description: "Client users with access to the portal (a client sees only their own)." })
  async memberships(@Root() administration: AdministrationType, @Ctx() ctx: GraphQLContext): Promise<MembershipType[]> {
    const memberships = await ctx.loaders.get(membershipsByAdministrationId).load(administration.entityId);
    return visibleMemberships(requireActor(ctx.viewer), memberships).map(MembershipType.from);
  }

  @Mutation(() => AdministrationPayload, { description: "Create an administration (firm admins)." })
  createAdministration(
    @Arg("input", () => CreateAdministrationInput, { description: "What to do; see the input type." }) input: CreateAdministrationInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return runPayload(AdministrationPayload, async () => ({
      administration: AdministrationType.from(await ctx.services.administrations.create(ctx.viewer, input)),
    }));
  }

  @Mutation(() => AdministrationPayload, { description: "Change an administration (firm admins)." })
  updateAdministration(
    @Arg("input", () => UpdateAdministrationInput, { description: "What to do; see the input type." }) input: UpdateAdministrationInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    const { id, ...fields } = input;
    return runPayload(AdministrationPayload, async () => ({
      administration: AdministrationType.from(await ctx.services.administrations.update(ctx.viewer, fromGlobalId(id, "Administration"), fields)),
    }));
  }

  @Mutation(() => MembershipPayload, { description: "Give a client user access to an administration (staff)." })
  addMember(@Arg("input", () => AddMemberInput, { description: "What to do; see the input type." }) input: AddMemberInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(MembershipPayload, async () => ({
      membership: MembershipType.from(
        await ctx.services.administrations.addMember(ctx.viewer, {
          administrationId: fromGlobalId(input.administrationId, "Administration"),
          userId: fromGlobalId(input.userId, "User"),
          canApproveFilings: input.canApproveFilings,
        }),
      ),
    }));
  }

  @Mutation(() => MembershipPayload, { description: "Change whether a member may approve filings (staff)." })
  updateMember(@Arg("input", () => UpdateMemberInput, { description: "What to do; see the input type." }) input: UpdateMemberInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(MembershipPayload, async () => ({
      membership: MembershipType.from(
        await ctx.services.administrations.updateMember(ctx.viewer, {
          membershipId: fromGlobalId(input.membershipId, "Membership"),
          canApproveFilings: input.canApproveFilings,
        }),
      ),
    }));
  }

  @Mutation(() => RemoveMemberPayload, { description: "Take a client user's access to an administration away (staff)." })
  removeMember(@Arg("input", () => RemoveMemberInput, { description: "What to do; see the input type." }) input: RemoveMemberInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(RemoveMemberPayload, async () => ({
      administration: AdministrationType.from(await ctx.services.administrations.removeMember(ctx.viewer, fromGlobalId(input.membershipId, "Membership"))),
    }));
  }
}

@Resolver(() => MembershipType)
export class MembershipResolver {
  @FieldResolver(() => UserType, { description: "The client user." })
  async user(@Root() membership: MembershipType, @Ctx() ctx: GraphQLContext): Promise<UserType> {
    const user = await ctx.loaders.get(userById).load(membership.userId);
    if (!user) throw new NotFoundError("User");
    return UserType.from(user);
  }

  @FieldResolver(() => AdministrationType, { description: "The administration." })
  async administration(@Root() membership: MembershipType, @Ctx() ctx: GraphQLContext): Promise<AdministrationType> {
    const administration = await ctx.loaders.get(administrationById).load(membership.administrationId);
    if (!administration) throw new NotFoundError("Administration");
    return AdministrationType.from(administration);
  }
}

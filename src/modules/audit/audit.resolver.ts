import { Arg, Args, Ctx, ID, Query, Resolver } from "type-graphql";
import { requireActor } from "../../core/actor.js";
import type { GraphQLContext } from "../../graphql/context.js";
import { fromGlobalId } from "../../graphql/global-id.js";
import { ConnectionArgs, toConnection } from "../../graphql/relay.js";
import { AuditEventConnection, AuditEventType, AuditVerificationType } from "./audit.types.js";

const administrationArg = {
  nullable: true,
  description: "The administration whose trail to read; omitted: the firm's own trail (staff, API tokens; firm admins).",
} as const;

@Resolver()
export class AuditResolver {
  @Query(() => AuditEventConnection, { description: "The audit trail, newest first (staff)." })
  async auditTrail(
    @Arg("administrationId", () => ID, administrationArg) administrationId: string | null,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Ctx() ctx: GraphQLContext,
  ) {
    const id = administrationId ? fromGlobalId(administrationId, "Administration") : null;
    return toConnection(AuditEventConnection, await ctx.services.audit.list(requireActor(ctx.viewer), id, page), AuditEventType.from);
  }

  @Query(() => AuditVerificationType, { description: "Recompute the hash chain of an audit trail and report the first broken link (staff)." })
  async verifyAuditTrail(@Arg("administrationId", () => ID, administrationArg) administrationId: string | null, @Ctx() ctx: GraphQLContext) {
    const id = administrationId ? fromGlobalId(administrationId, "Administration") : null;
    return AuditVerificationType.from(await ctx.services.audit.verify(requireActor(ctx.viewer), id));
  }
}

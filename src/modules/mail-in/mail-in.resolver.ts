import DataLoader from "dataloader";
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Mutation, Resolver, Root } from "type-graphql";
import { requireActor } from "../../core/actor.js";
import { inTransaction } from "../../db/transaction.js";
import type { GraphQLContext } from "../../graphql/context.js";
import { fromGlobalId } from "../../graphql/global-id.js";
import type { LoaderFactory } from "../../graphql/loaders.js";
import { runPayload } from "../../graphql/payload.js";
import { ConnectionArgs, toConnection } from "../../graphql/relay.js";
import { DocumentType } from "../documents/document.types.js";
import { assertStaffOf, findVisibleAdministration } from "../administrations/administration.policy.js";
import { AdministrationPayload, AdministrationType } from "../administrations/administration.types.js";
import { ensureInboundKey, inboundAddress, newInboundKey } from "./inbound-address.js";
import { DiscardQuarantinedMailPayload, QuarantinedMailConnection, QuarantinedMailInput, QuarantinedMailType, ReleaseQuarantinedMailPayload } from "./mail-in.types.js";

/** The keys of administrations that have none yet, made in one go for a page of them. */
const inboundKeyOf: LoaderFactory<string, string> = ({ dataSource }) =>
  new DataLoader((ids) => inTransaction(dataSource, (manager) => Promise.all(ids.map((id) => ensureInboundKey(manager, id)))));

@InputType("RotateInboundEmailAddressInput", { description: "Give an administration a new mail-in address; the old one stops taking mail at once." })
export class RotateInboundEmailAddressInput {
  @Field(() => ID, { description: "The administration." })
  administrationId: string;
}

@Resolver(() => AdministrationType)
export class MailInResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description:
      "Where members (and staff) forward mail with invoices, receipts or statements: its attachments land on the desk as uploaded by the sender; [INK], [VRK], [BON] or [BANK] in the subject files them into that tray. Null when this server takes no mail (MAIL_IN).",
  })
  async inboundEmailAddress(@Root() administration: AdministrationType, @Ctx() ctx: GraphQLContext): Promise<string | null> {
    const settings = ctx.services.config.mailIn;
    if (!settings) return null;
    const key = administration.inboundEmailKey ?? (await ctx.loaders.get(inboundKeyOf).load(administration.entityId));
    return inboundAddress(administration.name, key, settings.domain);
  }

  @Mutation(() => AdministrationPayload, { description: "Give an administration a new mail-in address (staff); mail to the old one is refused from now on." })
  rotateInboundEmailAddress(
    @Arg("input", () => RotateInboundEmailAddressInput, { description: "What to do; see the input type." }) input: RotateInboundEmailAddressInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return runPayload(AdministrationPayload, async () => {
      const actor = requireActor(ctx.viewer);
      const administration = await inTransaction(ctx.services.dataSource, async (manager) => {
        const found = await findVisibleAdministration(manager, actor, fromGlobalId(input.administrationId, "Administration"));
        assertStaffOf(actor, found);
        found.inboundEmailKey = newInboundKey();
        await manager.query("UPDATE administrations SET inbound_email_key = $2 WHERE id = $1", [found.id, found.inboundEmailKey]);
        await ctx.services.audit.record(manager, actor, {
          firmId: found.firmId,
          administrationId: found.id,
          action: "administration.inbound_address_rotated",
          subjectType: "Administration",
          subjectId: found.id,
          details: {},
        });
        return found;
      });
      return { administration: AdministrationType.from(administration) };
    });
  }

  @FieldResolver(() => QuarantinedMailConnection, {
    description:
      "Mail to its address that waits for staff (from strangers, or unconfirmed senders), newest first; staff only. Waiting mail is forgotten after MAIL_IN_QUARANTINE_RETENTION.",
  })
  async quarantinedMails(@Root() administration: AdministrationType, @Args(() => ConnectionArgs) page: ConnectionArgs, @Ctx() ctx: GraphQLContext) {
    return toConnection(QuarantinedMailConnection, await ctx.services.mailQuarantine.list(ctx.viewer, administration.entityId, page), QuarantinedMailType.from);
  }

  @Mutation(() => ReleaseQuarantinedMailPayload, {
    description: "Put a waiting mail's files on the desk (or in the tray its subject tags), as uploaded by the viewer (staff); all of them or none. The mail then leaves the list.",
  })
  releaseQuarantinedMail(@Arg("input", () => QuarantinedMailInput, { description: "What to do; see the input type." }) input: QuarantinedMailInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(ReleaseQuarantinedMailPayload, async () => {
      const result = await ctx.services.mailQuarantine.release(ctx.viewer, fromGlobalId(input.id, "QuarantinedMail"));
      return { documents: result.documents.map(DocumentType.from) };
    });
  }

  @Mutation(() => DiscardQuarantinedMailPayload, { description: "Discard a waiting mail (staff): nothing of it is kept." })
  discardQuarantinedMail(@Arg("input", () => QuarantinedMailInput, { description: "What to do; see the input type." }) input: QuarantinedMailInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(DiscardQuarantinedMailPayload, async () => {
      await ctx.services.mailQuarantine.discard(ctx.viewer, fromGlobalId(input.id, "QuarantinedMail"));
      return { discardedMailId: input.id };
    });
  }
}

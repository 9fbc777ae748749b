// GraphQL for desk reminders: Administration.deskSummary (batched) and remindClient.
import DataLoader from "dataloader";
import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Resolver, FieldResolver, Root } from "type-graphql";
import { requireActor } from "../../core/actor.js";
import { seesReminderHistory } from "./reminders.policy.js";
import type { GraphQLContext } from "../../graphql/context.js";
import { fromGlobalId } from "../../graphql/global-id.js";
import type { LoaderFactory } from "../../graphql/loaders.js";
import { type PayloadBase, runPayload, UserErrorType } from "../../graphql/payload.js";
import { DateTime } from "../../graphql/scalars.js";
import { AdministrationType } from "../administrations/administration.types.js";
import { userById } from "../users/user.loaders.js";
import { UserType } from "../users/user.types.js";
import type { DeskSummary } from "./desk-reminders.js";

const deskSummaries: LoaderFactory<string, DeskSummary> = ({ reminders }) => new DataLoader((ids) => reminders.summaries(ids));

@ObjectType("DeskSummary", { description: "What waits on an administration's desk: documents the firm does not see yet." })
export class DeskSummaryType {
  @Field(() => Int, { description: "Documents on the desk." })
  documentCount: number;

  @Field(() => DateTime, { nullable: true, description: "When the oldest of them was uploaded (null: empty desk)." })
  oldestUploadedAt: Date | null;

  @Field(() => Int, { nullable: true, description: "Age of the oldest, in whole days (null: empty desk)." })
  oldestAgeDays: number | null;

  @Field(() => DateTime, { nullable: true, description: "When its client users were last reminded (staff only; null for clients)." })
  lastReminderAt: Date | null;
}

@InputType("RemindClientInput", { description: "Remind the administration's client users of what waits on its desk." })
export class RemindClientInput {
  @Field(() => ID, { description: "The administration." })
  administrationId: string;
}

@ObjectType("RemindClientPayload", { description: "Who was reminded, and who had been reminded today already." })
export class RemindClientPayload implements PayloadBase {
  @Field(() => [UserType], { nullable: true, description: "Reminded now." })
  reminded: UserType[] | null = null;

  @Field(() => [UserType], { nullable: true, description: "Not reminded: they had a reminder today (nobody gets two a day)." })
  alreadyRemindedToday: UserType[] | null = null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

@Resolver(() => AdministrationType)
export class DeskSummaryResolver {
  @FieldResolver(() => DeskSummaryType, { description: "Desk count, age of the oldest document and the last reminder (batched for lists)." })
  async deskSummary(@Root() administration: AdministrationType, @Ctx() ctx: GraphQLContext): Promise<DeskSummaryType> {
    const summary = await ctx.loaders.get(deskSummaries).load(administration.entityId);
    const actor = requireActor(ctx.viewer);
    const staff = seesReminderHistory(actor);
    return Object.assign(new DeskSummaryType(), {
      documentCount: summary.documentCount,
      oldestUploadedAt: summary.oldestUploadedAt,
      oldestAgeDays: summary.oldestUploadedAt ? Math.floor((Date.now() - new Date(summary.oldestUploadedAt).getTime()) / 86_400_000) : null,
      lastReminderAt: staff ? summary.lastReminderAt : null,
    });
  }
}

@Resolver()
export class RemindClientResolver {
  @Mutation(() => RemindClientPayload, {
    description: "Remind the administration's client users now of the documents on its desk (at most once a day each, by their preferences). Staff only.",
  })
  remindClient(@Arg("input", () => RemindClientInput, { description: "What to do; see the input type." }) input: RemindClientInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(RemindClientPayload, async () => {
      const result = await ctx.services.reminders.remindNow(ctx.viewer, fromGlobalId(input.administrationId, "Administration"));
      const users = async (ids: string[]) => (await ctx.loaders.get(userById).loadMany(ids)).flatMap((u) => (u && !(u instanceof Error) ? [UserType.from(u)] : []));
      return { reminded: await users(result.reminded), alreadyRemindedToday: await users(result.alreadyToday) };
    });
  }
}

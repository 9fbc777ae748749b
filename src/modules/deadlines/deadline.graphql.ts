// GraphQL for deadlines: Administration.filingCalendar(year) (batched for lists) and the firm-wide
// Query.filingDeadlines(dueBefore) (and the deprecated Query.filingsDue).
import DataLoader from "dataloader";
import { Arg, Args, Ctx, Field, FieldResolver, Int, ObjectType, Query, Resolver, Root, registerEnumType } from "type-graphql";
import { BadInputError } from "../../core/errors.js";
import type { GraphQLContext } from "../../graphql/context.js";
import type { LoaderFactory } from "../../graphql/loaders.js";
import type { PageArgs } from "../../db/pagination.js";
import { Connection, ConnectionArgs, ForwardConnectionArgs, toConnection } from "../../graphql/relay.js";
import { LocalDate } from "../../graphql/scalars.js";
import { administrationById } from "../administrations/administration.loaders.js";
import { AdministrationType } from "../administrations/administration.types.js";
import { FilingKind } from "../filings/filing.entity.js";
import { visibleFilingById } from "../filings/filing.loaders.js";
import { FilingPeriodType, FilingType, filingType, periodType } from "../filings/filing.types.js";
import { DeadlineState, type FilingDeadline } from "./filing-deadlines.js";

registerEnumType(DeadlineState, {
  name: "DeadlineState",
  description: "How far the return of one period is.",
  valuesConfig: {
    NOT_PREPARED: { description: "No filing yet, or one the firm is still preparing (clients never see the draft)." },
    AWAITING_APPROVAL: { description: "Waiting for the client's approval." },
    REJECTED: { description: "The client rejected it; the firm changes it." },
    APPROVED: { description: "Approved, not submitted yet." },
    SUBMITTED: { description: "With the tax authority's gateway: the obligation is met unless it fails." },
    ACCEPTED: { description: "Delivered to the tax authority." },
    FAILED: { description: "The gateway refused it: it must be submitted again." },
  },
});

@ObjectType("FilingDeadline", { description: "The VAT return or ICP declaration of one period of one administration: when it is due and how far it is." })
export class FilingDeadlineType {
  deadline: FilingDeadline;

  @Field(() => FilingKind, { description: "What is due." })
  kind: FilingKind;

  @Field(() => FilingPeriodType, { description: "The period it is for." })
  period: FilingPeriodType;

  @Field(() => LocalDate, {
    description: "YYYY-MM-DD it must be in: the last day of the month after the period, moved to the next working day when that is a weekend day or general holiday.",
  })
  dueDate: string;

  @Field(() => Int, { description: "Days from today (in the server's time zone) to the due date; negative when it has passed." })
  daysLeft: number;

  @Field(() => Boolean, { description: "Whether the due date has passed while it is not with the tax authority." })
  overdue: boolean;

  @Field(() => DeadlineState, { description: "How far it is." })
  state: DeadlineState;

  static from(deadline: FilingDeadline, standing: { daysLeft: number; overdue: boolean }): FilingDeadlineType {
    return Object.assign(new FilingDeadlineType(), {
      deadline,
      kind: deadline.kind,
      period: periodType(deadline.period),
      dueDate: deadline.dueDate,
      state: deadline.state,
      ...standing,
    });
  }
}

const FilingDeadlineConnection = Connection(FilingDeadlineType, "FilingDeadline");

/** Calendars of a page of administrations for one year, in one statement per year asked. */
const calendarsByYear: LoaderFactory<string, FilingDeadline[]> = ({ deadlines }, viewer) =>
  new DataLoader(async (keys) => {
    const years = new Map<number, string[]>();
    for (const key of keys) {
      const [id, year] = key.split("|") as [string, string];
      years.set(Number(year), [...(years.get(Number(year)) ?? []), id]);
    }
    const found = new Map<string, FilingDeadline[]>();
    for (const [year, ids] of years) {
      for (const [id, list] of await deadlines.calendars(viewer, ids, year)) found.set(`${id}|${year}`, list);
    }
    return keys.map((key) => found.get(key) ?? []);
  });

@Resolver(() => AdministrationType)
export class AdministrationCalendarResolver {
  @FieldResolver(() => [FilingDeadlineType], {
    description: "Its VAT returns and ICP declarations for the periods of `year` (by its filing frequencies, from filingsFrom on, and any filed), by due date.",
  })
  async filingCalendar(
    @Root() administration: AdministrationType,
    @Arg("year", () => Int, { description: "The year the periods are in (2000-2100)." }) year: number,
    @Ctx() ctx: GraphQLContext,
  ): Promise<FilingDeadlineType[]> {
    // Checked here, not in the loader, so that one bad year fails only this field.
    ctx.services.deadlines.checkYear(year);
    const deadlines = await ctx.loaders.get(calendarsByYear).load(`${administration.entityId}|${year}`);
    const today = ctx.services.deadlines.today();
    return deadlines.map((d) => FilingDeadlineType.from(d, ctx.services.deadlines.standing(d, today)));
  }
}

@Resolver(() => FilingDeadlineType)
export class FilingDeadlineResolver {
  @FieldResolver(() => AdministrationType, { description: "The administration it is for." })
  async administration(@Root() root: FilingDeadlineType, @Ctx() ctx: GraphQLContext): Promise<AdministrationType> {
    // Visible: deadlines are only made for administrations the viewer sees. One statement for a page.
    return AdministrationType.from((await ctx.loaders.get(administrationById).load(root.deadline.administrationId))!);
  }

  @FieldResolver(() => FilingType, { nullable: true, description: "The filing its state is of (null: none yet, or one the viewer may not see, such as a draft for clients)." })
  async filing(@Root() root: FilingDeadlineType, @Ctx() ctx: GraphQLContext): Promise<FilingType | null> {
    if (!root.deadline.filingId) return null;
    const filing = await ctx.loaders.get(visibleFilingById).load(root.deadline.filingId);
    return filing ? filingType(filing) : null;
  }
}

const DUE_DESCRIPTION =
  "Returns of every administration the viewer sees that are not with the tax authority yet (not prepared, awaiting approval, approved, rejected or failed) and due before `dueBefore`, overdue ones included; soonest first.";

@Resolver()
export class FilingsDueResolver {
  @Query(() => FilingDeadlineConnection, { description: `${DUE_DESCRIPTION} Pages both ways.` })
  async filingDeadlines(
    @Arg("dueBefore", () => LocalDate, { description: "Returns due before this day." }) dueBefore: string,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Ctx() ctx: GraphQLContext,
  ) {
    return this.page(ctx, dueBefore, page, "dueBefore");
  }

  @Query(() => FilingDeadlineConnection, {
    description: DUE_DESCRIPTION,
    deprecationReason: "Use `filingDeadlines(dueBefore:)`, which pages both ways (here `before` is the due date, so there is no backward paging).",
  })
  async filingsDue(
    @Arg("dueBefore", () => LocalDate, { nullable: true, description: "Returns due before this day (give this or `before`)." }) dueBefore: string | null,
    @Arg("before", () => String, {
      nullable: true,
      deprecationReason: "Use `dueBefore` (a LocalDate). In the next major version `before` becomes the Relay cursor of backward paging.",
      description: "YYYY-MM-DD: returns due before this day.",
    })
    before: string | null,
    @Args(() => ForwardConnectionArgs) page: ForwardConnectionArgs,
    @Ctx() ctx: GraphQLContext,
  ) {
    if ((dueBefore == null) === (before == null)) throw new BadInputError("Give `dueBefore` (or the deprecated `before`), not both");
    return this.page(ctx, (dueBefore ?? before)!, page, dueBefore == null ? "before" : "dueBefore");
  }

  private async page(ctx: GraphQLContext, dueBefore: string, page: PageArgs, argument: string) {
    const deadlines = ctx.services.deadlines;
    const today = deadlines.today();
    return toConnection(FilingDeadlineConnection, await deadlines.due(ctx.viewer, dueBefore, page, argument), (d) => FilingDeadlineType.from(d, deadlines.standing(d, today)));
  }
}

import { YearMonth } from "../../graphql/scalars.js";
import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import type { GraphQLContext } from "../../graphql/context.js";
import { fromGlobalId } from "../../graphql/global-id.js";
import { runPayload } from "../../graphql/payload.js";
import { AdministrationType } from "../administrations/administration.types.js";
import { Granularity } from "./months.js";
import { FiguresSeriesType, RecordFinancialFiguresInput, RecordFinancialFiguresPayload, SetFiguresVisibleInput, SetFiguresVisiblePayload } from "./figures.types.js";

const INPUT = { description: "What to do; see the input type." };

@Resolver(() => AdministrationType)
export class AdministrationFiguresResolver {
  @FieldResolver(() => FiguresSeriesType, {
    description:
      "Revenue, costs and result per month, quarter or year from `from` to `to` (YYYY-MM, at most 120 months), each with the year before. Clients: only while the firm shows them (else NOT_FOUND).",
  })
  figures(
    @Root() administration: AdministrationType,
    @Arg("from", () => YearMonth, { description: "First month, YYYY-MM." }) from: string,
    @Arg("to", () => YearMonth, { description: "Last month, YYYY-MM." }) to: string,
    @Arg("granularity", () => Granularity, { defaultValue: Granularity.MONTH, description: "How months are grouped." }) granularity: Granularity,
    @Ctx() ctx: GraphQLContext,
  ): Promise<FiguresSeriesType> {
    return ctx.services.figures.series(ctx.viewer, administration.entityId, { from, to, granularity }) as Promise<FiguresSeriesType>;
  }
}

@Resolver()
export class FiguresResolver {
  @Mutation(() => RecordFinancialFiguresPayload, { description: "Record monthly revenue and costs (staff and integrations); idempotent per month, changes audited." })
  recordFinancialFigures(@Arg("input", () => RecordFinancialFiguresInput, INPUT) input: RecordFinancialFiguresInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(RecordFinancialFiguresPayload, async () => ({
      changedMonths: (await ctx.services.figures.record(ctx.viewer, { administrationId: fromGlobalId(input.administrationId, "Administration"), months: input.months })).changed,
    }));
  }

  @Mutation(() => SetFiguresVisiblePayload, { description: "Show or hide the figures to the administration's client users. Staff only." })
  setFiguresVisible(@Arg("input", () => SetFiguresVisibleInput, INPUT) input: SetFiguresVisibleInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(SetFiguresVisiblePayload, async () => ({
      administration: AdministrationType.from(
        await ctx.services.figures.setVisible(ctx.viewer, { administrationId: fromGlobalId(input.administrationId, "Administration"), visible: input.visible }),
      ),
    }));
  }
}

import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { type PayloadBase, UserErrorType } from "../../graphql/payload.js";
import { Decimal, YearMonth } from "../../graphql/scalars.js";
import { AdministrationType } from "../administrations/administration.types.js";
import { Granularity } from "./months.js";

registerEnumType(Granularity, {
  name: "FiguresGranularity",
  description: "How months are grouped in a figures series.",
  valuesConfig: {
    MONTH: { description: "Each month." },
    QUARTER: { description: "Calendar quarters." },
    YEAR: { description: "Calendar years." },
  },
});

@ObjectType("FiguresAmounts", { description: "Revenue, costs and result of the recorded months of a period; null when none was recorded." })
export class FiguresAmountsType {
  @Field(() => Decimal, { nullable: true, description: "Revenue (omzet), euros." })
  revenue: string | null;

  @Field(() => Decimal, { nullable: true, description: "Costs (kosten), euros." })
  costs: string | null;

  @Field(() => Decimal, { nullable: true, description: "Result: revenue minus costs." })
  result: string | null;

  @Field(() => [String], { description: 'Months of the period nobody recorded ("2026-02"): missing, not zero.' })
  missingMonths: string[];
}

@ObjectType("FiguresPeriod", { description: "One month, quarter or year of a series, with the same months a year before." })
export class FiguresPeriodType extends FiguresAmountsType {
  @Field(() => String, { description: 'The period: "2026-03", "2026-Q1" or "2026".' })
  label: string;

  @Field(() => YearMonth, { description: "Its first month within the range asked for (YYYY-MM)." })
  from: string;

  @Field(() => YearMonth, { description: "Its last month within the range asked for (YYYY-MM)." })
  to: string;

  @Field(() => FiguresAmountsType, { description: "The same months one year earlier." })
  previousYear: FiguresAmountsType;
}

@ObjectType("FiguresTotals", { description: "The whole range, and the same range a year before." })
export class FiguresTotalsType extends FiguresAmountsType {
  @Field(() => FiguresAmountsType, { description: "The same months one year earlier." })
  previousYear: FiguresAmountsType;
}

@ObjectType("FiguresSeries", { description: "Monthly figures grouped per month, quarter or year." })
export class FiguresSeriesType {
  @Field(() => [FiguresPeriodType], { description: "The periods in order." })
  periods: FiguresPeriodType[];

  @Field(() => FiguresTotalsType, { description: "Totals over the range." })
  totals: FiguresTotalsType;
}

@InputType("MonthFiguresInput", { description: "Revenue and costs of one month." })
export class MonthFiguresInput {
  @Field(() => YearMonth, { description: 'The month, "YYYY-MM".' })
  month: string;

  @Field(() => Decimal, { description: "Revenue of the month, euros." })
  revenue: string;

  @Field(() => Decimal, { description: "Costs of the month, euros." })
  costs: string;
}

@InputType("RecordFinancialFiguresInput", { description: "Monthly figures from the firm's books; a month pushed again replaces its figures." })
export class RecordFinancialFiguresInput {
  @Field(() => ID, { description: "The administration." })
  administrationId: string;

  @Field(() => [MonthFiguresInput], { description: "One entry per month (at most 120)." })
  months: MonthFiguresInput[];
}

@ObjectType("RecordFinancialFiguresPayload", { description: "Result of recording figures." })
export class RecordFinancialFiguresPayload implements PayloadBase {
  @Field(() => [String], { nullable: true, description: "The months whose figures changed (empty when the push repeated what was there)." })
  changedMonths: string[] | null = null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

@InputType("SetFiguresVisibleInput", { description: "Whether the administration's client users see its figures." })
export class SetFiguresVisibleInput {
  @Field(() => ID, { description: "The administration." })
  administrationId: string;

  @Field(() => Boolean, { description: "Show (true) or hide (false)." })
  visible: boolean;
}

@ObjectType("SetFiguresVisiblePayload", { description: "Result of showing or hiding figures." })
export class SetFiguresVisiblePayload implements PayloadBase {
  @Field(() => AdministrationType, { nullable: true, description: "The administration afterwards." })
  administration: AdministrationType | null = null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

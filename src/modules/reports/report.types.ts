import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { toGlobalId } from "../../graphql/global-id.js";
import { type PayloadBase, UserErrorType } from "../../graphql/payload.js";
import { Connection, Node } from "../../graphql/relay.js";
import { DateTime, LocalDate, SafeInt } from "../../graphql/scalars.js";
import { GraphQLUpload } from "../../graphql/upload.js";
import { UserType } from "../users/user.types.js";
import { type Report, ReportKind } from "./report.entity.js";
import { isPublished } from "./report.policy.js";
import type { IncomingFile } from "../files/receive-file.js";

registerEnumType(ReportKind, {
  name: "ReportKind",
  description: "What a report is.",
  valuesConfig: {
    BALANCE_SHEET: { description: "Balance sheet (balans)." },
    PROFIT_AND_LOSS: { description: "Profit and loss account (winst-en-verliesrekening)." },
    OPEN_RECEIVABLES: { description: "Open receivables (openstaande debiteuren)." },
    OPEN_PAYABLES: { description: "Open payables (openstaande crediteuren)." },
    VAT_OVERVIEW: { description: "VAT overview (btw-overzicht)." },
    ANNUAL_ACCOUNTS: { description: "Annual accounts (jaarrekening)." },
    OTHER: { description: "Anything else." },
  },
});

@ObjectType("Report", { implements: Node, description: "A PDF report the firm publishes for an administration's clients." })
export class ReportType extends Node {
  @Field(() => ReportKind, { description: "What it is." })
  kind: ReportKind;

  @Field(() => String, { description: "Its title." })
  title: string;

  @Field(() => LocalDate, { description: "First day of the period it covers (YYYY-MM-DD)." })
  periodStart: string;

  @Field(() => LocalDate, { description: "Last day of the period it covers (YYYY-MM-DD)." })
  periodEnd: string;

  @Field(() => DateTime, { description: "From when clients see it." })
  publishAt: Date;

  @Field(() => Boolean, { description: "Whether clients see it now (its moment has come and it is not withdrawn)." })
  published: boolean;

  @Field(() => DateTime, { nullable: true, description: "When the clients were notified (null until its moment)." })
  announcedAt: Date | null;

  @Field(() => DateTime, { nullable: true, description: "When the firm withdrew it (only the firm sees withdrawn reports)." })
  withdrawnAt: Date | null;

  @Field(() => Int, { description: "The file's version: 1, then 2 … after each replacement." })
  version: number;

  @Field(() => DateTime, { description: "When it was created." })
  createdAt: Date;

  entity: Report;

  static from(r: Report): ReportType {
    return Object.assign(new ReportType(), {
      id: toGlobalId("Report", r.id),
      kind: r.kind,
      title: r.title,
      periodStart: r.periodStart,
      periodEnd: r.periodEnd,
      publishAt: r.publishAt,
      published: isPublished(r),
      announcedAt: r.announcedAt,
      withdrawnAt: r.withdrawnAt,
      version: r.version,
      createdAt: r.createdAt,
      entity: r,
    });
  }
}

@ObjectType("ReportFile", { description: "One version of a report's file." })
export class ReportFileType {
  @Field(() => Int, { description: "Its version." })
  version: number;

  @Field(() => String, { description: "File name." })
  filename: string;

  @Field(() => SafeInt, { description: "Size in bytes." })
  byteSize: number;

  @Field(() => Int, { nullable: true, description: "Number of pages." })
  pageCount: number | null;

  @Field(() => DateTime, { description: "When it was uploaded." })
  uploadedAt: Date;

  @Field(() => String, { description: "Who uploaded it." })
  uploadedBy: string;
}

@ObjectType("ReportRead", { description: "A client user's first opening of one version of a report." })
export class ReportReadType {
  @Field(() => UserType, { description: "Who read it." })
  user: UserType;

  @Field(() => Int, { description: "The version they opened." })
  version: number;

  @Field(() => DateTime, { description: "When they first opened it." })
  readAt: Date;
}

export const ReportConnection = Connection(ReportType, "Report");

@InputType("PublishReportInput", { description: "A PDF report for an administration, visible at once or from a moment." })
export class PublishReportInput {
  @Field(() => ID, { description: "The administration." })
  administrationId: string;

  @Field(() => GraphQLUpload, { description: "The PDF (GraphQL multipart request spec)." })
  file: Promise<IncomingFile>;

  @Field(() => String, { description: "Title (at most 200 characters)." })
  title: string;

  @Field(() => ReportKind, { description: "What it is." })
  kind: ReportKind;

  @Field(() => LocalDate, { description: "First day of the period (YYYY-MM-DD)." })
  periodStart: string;

  @Field(() => LocalDate, { description: "Last day of the period (YYYY-MM-DD)." })
  periodEnd: string;

  @Field(() => DateTime, { nullable: true, description: "From when clients see it (and are told); omitted or past: at once." })
  publishAt?: Date | null;
}

@InputType("ReplaceReportInput", { description: "A corrected PDF for a report: its next version." })
export class ReplaceReportInput {
  @Field(() => ID, { description: "The report." })
  reportId: string;

  @Field(() => GraphQLUpload, { description: "The corrected PDF." })
  file: Promise<IncomingFile>;
}

@InputType("WithdrawReportInput", { description: "Hide a report from the clients again." })
export class WithdrawReportInput {
  @Field(() => ID, { description: "The report." })
  reportId: string;

  @Field(() => String, { nullable: true, description: "Why, for the log." })
  reason?: string | null;
}

@InputType("MarkReportReadInput", { description: "The viewer opened a report." })
export class MarkReportReadInput {
  @Field(() => ID, { description: "The report." })
  reportId: string;
}

@ObjectType("ReportPayload", { description: "Result of a change to a report." })
export class ReportPayload implements PayloadBase {
  @Field(() => ReportType, { nullable: true, description: "The report afterwards (null when it failed)." })
  report: ReportType | null = null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

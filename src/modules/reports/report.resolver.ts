import { Arg, Args, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { requireActor, userIdOf } from "../../core/actor.js";
import type { GraphQLContext } from "../../graphql/context.js";
import { fromGlobalId } from "../../graphql/global-id.js";
import { runPayload } from "../../graphql/payload.js";
import { DateTime } from "../../graphql/scalars.js";
import { ConnectionArgs, toConnection } from "../../graphql/relay.js";
import { administrationById } from "../administrations/administration.loaders.js";
import { AdministrationType } from "../administrations/administration.types.js";
import { userById } from "../users/user.loaders.js";
import { UserType } from "../users/user.types.js";
import { ReportKind } from "./report.entity.js";
import { readsByReportId, versionsByReportId } from "./report.loaders.js";
import { readsShown, reportLinkKind, versionsShown } from "./report.policy.js";
import {
  MarkReportReadInput,
  PublishReportInput,
  ReplaceReportInput,
  ReportConnection,
  ReportFileType,
  ReportPayload,
  ReportReadType,
  ReportType,
  WithdrawReportInput,
} from "./report.types.js";

const INPUT = { description: "What to do; see the input type." };

const fileType = (v: { version: number; filename: string; byteSize: number; pageCount: number | null; uploadedAt: Date; uploadedByLabel: string }) =>
  Object.assign(new ReportFileType(), {
    version: v.version,
    filename: v.filename,
    byteSize: v.byteSize,
    pageCount: v.pageCount,
    uploadedAt: v.uploadedAt,
    uploadedBy: v.uploadedByLabel,
  });

@Resolver(() => ReportType)
export class ReportResolver {
  @FieldResolver(() => AdministrationType, { description: "The administration it is for." })
  async administration(@Root() report: ReportType, @Ctx() ctx: GraphQLContext): Promise<AdministrationType> {
    return AdministrationType.from((await ctx.loaders.get(administrationById).load(report.entity.administrationId))!);
  }

  @FieldResolver(() => ReportFileType, { description: "The current file." })
  async file(@Root() report: ReportType, @Ctx() ctx: GraphQLContext): Promise<ReportFileType> {
    const versions = await ctx.loaders.get(versionsByReportId).load(report.entity.id);
    return fileType(versions.find((v) => v.version === report.version)!);
  }

  @FieldResolver(() => [ReportFileType], { description: "Every version, newest first (the firm); clients see the current one only." })
  async versions(@Root() report: ReportType, @Ctx() ctx: GraphQLContext): Promise<ReportFileType[]> {
    const versions = await ctx.loaders.get(versionsByReportId).load(report.entity.id);
    return versionsShown(requireActor(ctx.viewer), versions, report.version).map(fileType);
  }

  @FieldResolver(() => String, { description: "A short-lived signed URL of the current file; a client's stops working when the report is withdrawn." })
  async downloadUrl(
    @Root() report: ReportType,
    @Ctx() ctx: GraphQLContext,
    @Arg("inline", () => Boolean, { defaultValue: false, description: "Show in the browser instead of saving." }) inline: boolean,
  ): Promise<string> {
    const current = (await ctx.loaders.get(versionsByReportId).load(report.entity.id)).find((v) => v.version === report.version)!;
    const actor = requireActor(ctx.viewer);
    return ctx.services.links.url(
      { kind: reportLinkKind(actor), subjectId: report.entity.id, sha256: current.sha256, disposition: inline ? "inline" : "attachment" },
      current.filename,
    );
  }

  @FieldResolver(() => DateTime, { nullable: true, description: "When the viewer first opened the current version (null: unread)." })
  async readAt(@Root() report: ReportType, @Ctx() ctx: GraphQLContext): Promise<Date | null> {
    const me = userIdOf(ctx.viewer);
    if (!me) return null;
    const reads = await ctx.loaders.get(readsByReportId).load(report.entity.id);
    return reads.find((r) => r.user_id === me && r.version === report.version)?.read_at ?? null;
  }

  @FieldResolver(() => [ReportReadType], { description: "Who opened which version when: every client for the firm; a client sees only their own." })
  async reads(@Root() report: ReportType, @Ctx() ctx: GraphQLContext): Promise<ReportReadType[]> {
    const actor = requireActor(ctx.viewer);
    const reads = await ctx.loaders.get(readsByReportId).load(report.entity.id);
    const shown = readsShown(actor, reads);
    const users = await ctx.loaders.get(userById).loadMany(shown.map((r) => r.user_id));
    return shown.flatMap((r, i) => {
      const user = users[i];
      return user && !(user instanceof Error) ? [Object.assign(new ReportReadType(), { user: UserType.from(user), version: r.version, readAt: r.read_at })] : [];
    });
  }

  @Mutation(() => ReportPayload, { description: "Publish a PDF report for an administration, at once or from `publishAt` (clients are told at that moment). Staff only." })
  publishReport(@Arg("input", () => PublishReportInput, INPUT) input: PublishReportInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(ReportPayload, async () => ({
      report: ReportType.from(
        await ctx.services.reports.publish(ctx.viewer, {
          ...input,
          administrationId: fromGlobalId(input.administrationId, "Administration"),
        }),
      ),
    }));
  }

  @Mutation(() => ReportPayload, { description: "Publish a corrected file as the report's next version; clients who could see it are told. Staff only." })
  replaceReport(@Arg("input", () => ReplaceReportInput, INPUT) input: ReplaceReportInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(ReportPayload, async () => ({
      report: ReportType.from(
        await ctx.services.reports.replace(ctx.viewer, {
          reportId: fromGlobalId(input.reportId, "Report"),
          file: input.file,
        }),
      ),
    }));
  }

  @Mutation(() => ReportPayload, { description: "Hide a report from the clients (kept for the firm, audited). Staff only." })
  withdrawReport(@Arg("input", () => WithdrawReportInput, INPUT) input: WithdrawReportInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(ReportPayload, async () => ({
      report: ReportType.from(await ctx.services.reports.withdraw(ctx.viewer, { reportId: fromGlobalId(input.reportId, "Report"), reason: input.reason })),
    }));
  }

  @Mutation(() => ReportPayload, { description: "Record that the viewer opened the report (a client's first opening of each version is their read receipt)." })
  markReportRead(@Arg("input", () => MarkReportReadInput, INPUT) input: MarkReportReadInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(ReportPayload, async () => ({ report: ReportType.from(await ctx.services.reports.markRead(ctx.viewer, fromGlobalId(input.reportId, "Report"))) }));
  }
}

@Resolver(() => AdministrationType)
export class AdministrationReportsResolver {
  @FieldResolver(() => ReportConnection, { description: "Its reports, newest first: clients see published ones only; the firm sees all, scheduled and withdrawn too." })
  async reports(
    @Root() administration: AdministrationType,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg("kind", () => ReportKind, { nullable: true, description: "Only this kind." }) kind: ReportKind | null,
    @Ctx() ctx: GraphQLContext,
  ) {
    return toConnection(ReportConnection, await ctx.services.reports.list(ctx.viewer, administration.entityId, kind, page), ReportType.from);
  }
}

import {
  MarkReportReadDocument,
  NotFoundError,
  ForbiddenError,
  PublishReportDocument,
  ReplaceReportDocument,
  ReportDocument,
  ReportKind,
  ReportsDocument,
  UserErrorCode,
  WithdrawReportDocument,
  unwrap,
  upload,
  type PortalDeskClient,
  type ReportFieldsFragment,
} from "@portaldesk/sdk";
import { expect } from "chai";
import { jpegBytes, pdfBytes } from "./support/files.js";
import { eventually, gid, TestEnv, uuidOf, type World } from "./support/harness.js";

describe("reports", () => {
  let env: TestEnv;
  let world: World;
  let staff: PortalDeskClient;
  let client: PortalDeskClient;
  let secondClient: PortalDeskClient;
  let otherClient: PortalDeskClient;
  let administrationId: string;
  let secondClientId: string;

  before(async () => {
    env = await TestEnv.create();
    world = await env.createWorld({ administrations: 2 });
    administrationId = gid("Administration", world.administrations[0]!.id);
    staff = await env.signIn(world.accountant.email);
    client = await env.signIn(world.clients[0]!.email);
    const second = await env.addClient(world, 0, "second");
    secondClientId = second.id;
    secondClient = await env.signIn(second.email);
    otherClient = await env.signIn(world.clients[1]!.email);
  });
  after(() => env.close());

  const publish = async (title: string, publishAt?: Date) =>
    unwrap(
      (
        await staff.request(PublishReportDocument, {
          input: {
            administrationId,
            file: upload(await pdfBytes(2, title), { filename: `${title}.pdf` }),
            title,
            kind: ReportKind.ProfitAndLoss,
            periodStart: "2026-01-01",
            periodEnd: "2026-06-30",
            publishAt: publishAt?.toISOString(),
          },
        })
      ).publishReport,
    ).report!;
  const listed = async (who: PortalDeskClient) => (await who.request(ReportsDocument, { administrationId, first: 100 })).administration.reports.nodes.map((r) => r.id);
  const notificationsAbout = async (reportId: string, kind: string) =>
    (await env.sql<{ recipient_user_id: string }>("SELECT recipient_user_id FROM notifications WHERE subject_id = $1 AND kind = $2", [uuidOf(reportId), kind])).rows
      .map((r) => r.recipient_user_id)
      .sort();

  it("publishes a PDF at once: clients see it, download it, and are told once", async () => {
    const report = await publish("Winst en verlies H1");
    expect(report).to.deep.include({ published: true, version: 1, readAt: null });
    expect(report.file).to.deep.include({ filename: "Winst en verlies H1.pdf", pageCount: 2 });
    expect(await listed(client)).to.include(report.id);
    const seen = (await client.request(ReportDocument, { id: report.id })).node as ReportFieldsFragment;
    const response = await fetch(seen.downloadUrl);
    expect(response.status).to.equal(200);
    expect(response.headers.get("content-type")).to.equal("application/pdf");
    expect(
      Buffer.from(await response.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).to.equal("%PDF-");
    const told = await eventually(async () => ((await notificationsAbout(report.id, "REPORT_PUBLISHED")).length === 2 ? notificationsAbout(report.id, "REPORT_PUBLISHED") : null));
    expect(told).to.deep.equal([world.clients[0]!.id, secondClientId].sort());
    expect((await otherClient.request(ReportDocument, { id: report.id })).node).to.equal(null);
  });

  it("keeps a report for later invisible until its moment, then shows it and tells each client exactly once, with two instances running", async () => {
    await env.startServer(); // a second instance working the same queue
    const moment = new Date(Date.now() + 3000);
    const report = await publish("Balans Q2", moment);
    expect(report.published).to.equal(false);
    expect(await listed(client)).to.not.include(report.id);
    expect((await client.request(ReportDocument, { id: report.id })).node).to.equal(null);
    expect(await listed(staff), "the firm sees what it scheduled").to.include(report.id);
    expect(await notificationsAbout(report.id, "REPORT_PUBLISHED")).to.deep.equal([]);

    await eventually(async () => (await listed(client)).includes(report.id), 10_000);
    expect(Date.now()).to.be.at.least(moment.getTime());
    await eventually(async () => (await notificationsAbout(report.id, "REPORT_PUBLISHED")).length === 2, 10_000);
    // The safety net runs too (on every instance); nobody is told twice.
    await env.server.services.reports.announceDue();
    await env.servers[1]!.services.reports.announceDue();
    await new Promise((r) => setTimeout(r, 1500));
    expect(await notificationsAbout(report.id, "REPORT_PUBLISHED")).to.deep.equal([world.clients[0]!.id, secondClientId].sort());
  });

  it("records each client's first reading once, shows the firm who read what when, and keeps other clients out of it", async () => {
    const report = await publish("Openstaande posten");
    const first = unwrap((await client.request(MarkReportReadDocument, { input: { reportId: report.id } })).markReportRead).report!;
    expect(first.readAt).to.be.a("string");
    const again = unwrap((await client.request(MarkReportReadDocument, { input: { reportId: report.id } })).markReportRead).report!;
    expect(again.readAt).to.equal(first.readAt);
    unwrap((await staff.request(MarkReportReadDocument, { input: { reportId: report.id } })).markReportRead);
    const asStaff = (await staff.request(ReportDocument, { id: report.id })).node as { reads: Array<{ user: { email: string }; version: number; readAt: string }> };
    expect(asStaff.reads.map((r) => [r.user.email, r.version, r.readAt])).to.deep.equal([[world.clients[0]!.email, 1, first.readAt]]);
    const asOtherMember = (await secondClient.request(ReportDocument, { id: report.id })).node as { reads: unknown[]; readAt: string | null };
    expect(asOtherMember).to.deep.include({ reads: [], readAt: null });
    expect(await otherClient.request(MarkReportReadDocument, { input: { reportId: report.id } }).catch((e: unknown) => e)).to.be.instanceOf(NotFoundError);
  });

  it("replaces a report with a corrected version: clients told, unread again, the old file link no longer valid for them", async () => {
    const report = await publish("Jaarrekening 2025");
    await eventually(async () => (await notificationsAbout(report.id, "REPORT_PUBLISHED")).length === 2);
    unwrap((await client.request(MarkReportReadDocument, { input: { reportId: report.id } })).markReportRead);
    const oldLink = ((await client.request(ReportDocument, { id: report.id })).node as ReportFieldsFragment).downloadUrl;
    const replaced = unwrap(
      (await staff.request(ReplaceReportDocument, { input: { reportId: report.id, file: upload(await pdfBytes(3, "Gecorrigeerd"), { filename: "jaarrekening-v2.pdf" }) } }))
        .replaceReport,
    ).report!;
    expect(replaced).to.deep.include({ version: 2 });
    expect(replaced.file).to.deep.include({ filename: "jaarrekening-v2.pdf", pageCount: 3 });
    expect(await notificationsAbout(report.id, "REPORT_REPLACED")).to.deep.equal([world.clients[0]!.id, secondClientId].sort());
    const seen = (await client.request(ReportDocument, { id: report.id })).node as ReportFieldsFragment & { versions: unknown[] };
    expect(seen.readAt, "the corrected version is unread").to.equal(null);
    expect(seen.versions).to.have.length(1);
    expect(((await staff.request(ReportDocument, { id: report.id })).node as { versions: unknown[] }).versions).to.have.length(2);
    expect((await fetch(oldLink)).status).to.equal(404);
    expect((await fetch(seen.downloadUrl)).status).to.equal(200);
  });

  it("withdraws a report: gone for clients from lists, node and download links; kept for the firm", async () => {
    const report = await publish("Btw-overzicht");
    const link = ((await client.request(ReportDocument, { id: report.id })).node as ReportFieldsFragment).downloadUrl;
    expect((await fetch(link)).status).to.equal(200);
    const withdrawn = unwrap((await staff.request(WithdrawReportDocument, { input: { reportId: report.id, reason: "Verkeerde periode" } })).withdrawReport).report!;
    expect(withdrawn.withdrawnAt).to.be.a("string");
    expect(withdrawn.published).to.equal(false);
    expect(await listed(client)).to.not.include(report.id);
    expect((await client.request(ReportDocument, { id: report.id })).node).to.equal(null);
    expect((await fetch(link)).status).to.equal(404);
    const staffLink = ((await staff.request(ReportDocument, { id: report.id })).node as ReportFieldsFragment).downloadUrl;
    expect((await fetch(staffLink)).status).to.equal(200);
    const twice = await staff.request(WithdrawReportDocument, { input: { reportId: report.id } });
    expect(twice.withdrawReport.userErrors[0]?.code).to.equal(UserErrorCode.WrongState);
    const { rows } = await env.sql("SELECT note FROM audit_events WHERE action = 'report.withdrawn' AND subject_id = $1", [uuidOf(report.id)]);
    expect(rows).to.deep.equal([{ note: "Verkeerde periode" }]);
  });

  it("refuses what is not a PDF, bad periods, and clients who try to publish", async () => {
    const input = async (overrides: Record<string, unknown>) => ({
      administrationId,
      file: upload(await pdfBytes(1), { filename: "r.pdf" }),
      title: "R",
      kind: ReportKind.Other,
      periodStart: "2026-01-01",
      periodEnd: "2026-01-31",
      ...overrides,
    });
    const jpeg = await staff.request(PublishReportDocument, { input: await input({ file: upload(await jpegBytes(), { filename: "scan.pdf" }) }) });
    expect(jpeg.publishReport.userErrors[0]).to.deep.include({ code: UserErrorCode.Invalid, field: ["input", "file"] });
    expect(jpeg.publishReport.userErrors[0]!.message).to.match(/is not a PDF/);
    const period = await staff.request(PublishReportDocument, { input: await input({ periodStart: "2026-02-01" }) });
    expect(period.publishReport.userErrors[0]?.field).to.deep.equal(["input", "periodEnd"]);
    const title = await staff.request(PublishReportDocument, { input: await input({ title: "  " }) });
    expect(title.publishReport.userErrors[0]?.field).to.deep.equal(["input", "title"]);
    expect(await client.request(PublishReportDocument, { input: await input({}) }).catch((e: unknown) => e)).to.be.instanceOf(ForbiddenError);
    const { rows } = await env.sql("SELECT count(*)::int AS n FROM reports WHERE title = 'R'");
    expect(rows[0]).to.deep.equal({ n: 0 });
  });
});

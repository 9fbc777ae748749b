import {
  ApproveFilingDocument,
  CreateIcpDeclarationDocument,
  CreateVatReturnDocument,
  FilingDocument,
  FilingHistoryDocument,
  FilingKind,
  FilingsDocument,
  FilingsOverviewDocument,
  FilingStatus,
  FilingUpdatedDocument,
  ForbiddenError,
  NotFoundError,
  NotificationKind,
  NotificationReceivedDocument,
  RejectFilingDocument,
  ReopenFilingDocument,
  RequestFilingApprovalDocument,
  SubmitFilingDocument,
  UpdateAdministrationDocument,
  UpdateVatReturnDocument,
  UserErrorCode,
  VerifyAuditTrailDocument,
  DeleteFilingDocument,
  WithdrawApprovalRequestDocument,
  unwrap,
  type FilingFieldsFragment,
  type PortalDeskClient,
  type VatReturnBoxesInput,
} from "@portaldesk/sdk";
import { expect } from "chai";
import { Administration } from "../src/modules/administrations/administration.entity.js";
import { Filing } from "../src/modules/filings/filing.entity.js";
import { FilingSubmissions } from "../src/modules/filings/filing-submission.js";
import { filingMessage } from "../src/modules/filings/filing-xbrl.js";
import { DigipoortClient } from "../src/modules/filings/submission/digipoort-client.js";
import { GatewayError } from "../src/modules/filings/submission/gateway.js";
import { eventually, gid, nextWithin, settle, TestEnv, uuidOf, type World } from "./support/harness.js";
import { MailCapture } from "./support/mail-capture.js";

type Vat = Extract<FilingFieldsFragment, { __typename: "VatReturn" }>;

describe("filings: VAT returns and ICP declarations", () => {
  let mail: MailCapture;
  let env: TestEnv;
  let world: World;
  let staff: PortalDeskClient;
  let approver: PortalDeskClient;
  let viewer: PortalDeskClient; // a client user without the right to approve
  let otherClient: PortalDeskClient; // a client of the other administration
  let administrationId: string;
  let year = 2030; // each test takes fresh periods (beyond any taxonomy release: these are never submitted)
  // Submitted filings need a period a taxonomy release covers: the months of 2026.
  let filableMonth = 0;
  const filablePeriod = () => ({ year: 2026, month: ++filableMonth });

  before(async () => {
    mail = await MailCapture.start();
    env = await TestEnv.create({ SMTP_URL: mail.url, FILING_POLL_INTERVAL: "1s", DIGIPOORT_SIMULATOR_STEP_MS: "50" });
    world = await env.createWorld({ administrations: 2 });
    administrationId = gid("Administration", world.administrations[0]!.id);
    staff = await env.signIn(world.accountant.email);
    approver = await env.signIn(world.clients[0]!.email);
    viewer = await env.signIn((await env.addClient(world, 0, "viewer")).email);
    otherClient = await env.signIn(world.clients[1]!.email);
    const admin = await env.signIn(world.admin.email);
    unwrap((await admin.request(UpdateAdministrationDocument, { input: { id: administrationId, vatNumber: "NL123456782B01" } })).updateAdministration);
  });
  after(async () => {
    await env.close();
    await mail.stop();
  });

  const vatReturn = async (boxes: VatReturnBoxesInput, period: { year: number; quarter?: number; month?: number } = { year: ++year, quarter: 3 }) =>
    unwrap((await staff.request(CreateVatReturnDocument, { input: { administrationId, period, boxes } })).createVatReturn).vatReturn! as Vat;
  const requestApproval = async (filingId: string, note?: string) =>
    unwrap((await staff.request(RequestFilingApprovalDocument, { input: { filingId, note } })).requestFilingApproval).filing!;
  const approve = (client: PortalDeskClient, filingId: string, version: number, note?: string) => client.request(ApproveFilingDocument, { input: { filingId, version, note } });
  const filing = async (client: PortalDeskClient, id: string) => (await client.request(FilingDocument, { id })).node as FilingFieldsFragment;
  const history = async (id: string) =>
    (
      (await staff.request(FilingHistoryDocument, { id, first: 100 })).node as {
        events: { nodes: Array<{ action: string; note: string | null; actor: { label: string }; occurredAt: string; details: Record<string, unknown> }> };
      }
    ).events.nodes;

  it("computes 5a, 5c and 5g from the entered boxes (a worked example per box)", async () => {
    // Each row: the boxes entered, and the computed totals the form must show.
    const table: Array<[VatReturnBoxesInput, { box5a: number; box5c: number; box5g: number }]> = [
      [{ box1a: { turnover: 10000, vat: 2100 } }, { box5a: 2100, box5c: 2100, box5g: 2100 }],
      [{ box1b: { turnover: 10000, vat: 900 } }, { box5a: 900, box5c: 900, box5g: 900 }],
      [{ box1c: { turnover: 1000, vat: 130 } }, { box5a: 130, box5c: 130, box5g: 130 }],
      [{ box1d: { turnover: 500, vat: 105 } }, { box5a: 105, box5c: 105, box5g: 105 }],
      [{ box1e: 7000 }, { box5a: 0, box5c: 0, box5g: 0 }],
      [{ box2a: { turnover: 2000, vat: 420 } }, { box5a: 420, box5c: 420, box5g: 420 }],
      [
        { box3a: 5000, box3b: 4000, box3c: 300 },
        { box5a: 0, box5c: 0, box5g: 0 },
      ],
      [{ box4a: { turnover: 1000, vat: 210 } }, { box5a: 210, box5c: 210, box5g: 210 }],
      [{ box4b: { turnover: 3000, vat: 630 } }, { box5a: 630, box5c: 630, box5g: 630 }],
      [
        { box1a: { turnover: 10000, vat: 2100 }, box5b: 2500 },
        { box5a: 2100, box5c: -400, box5g: -400 },
      ],
      [
        { box1a: { turnover: 10000, vat: 2100 }, box5b: 100 },
        { box5a: 2100, box5c: 2000, box5g: 2000 },
      ],
      [
        { box1a: { turnover: -1000, vat: -210 }, box4b: { turnover: 3000, vat: 630 }, box5b: 630 },
        { box5a: 420, box5c: -210, box5g: -210 },
      ],
    ];
    for (const [boxes, totals] of table) {
      const created = await vatReturn(boxes);
      expect(created.boxes, JSON.stringify(boxes)).to.include(totals);
      expect(created.status).to.equal(FilingStatus.Draft);
    }
    // An update changes only the boxes given, and bumps the version.
    const draft = await vatReturn({ box1a: { turnover: 10000, vat: 2100 } });
    const updated = unwrap((await staff.request(UpdateVatReturnDocument, { input: { filingId: draft.id, version: 1, boxes: { box5b: 600 } } })).updateVatReturn).vatReturn! as Vat;
    expect(updated).to.deep.include({ version: 2 });
    expect(updated.boxes).to.deep.include({ box1a: { turnover: 10000, vat: 2100 }, box5b: 600, box5c: 1500, box5g: 1500 });
    const stale = await staff.request(UpdateVatReturnDocument, { input: { filingId: draft.id, version: 1, boxes: { box5b: 700 } } });
    expect(stale.updateVatReturn.userErrors[0]).to.deep.include({ code: UserErrorCode.Stale, field: ["input", "version"] });
  });

  it("returns every check on the right field: negative boxes, periods, duplicates, ICP lines; rate and 3b mismatches as warnings", async () => {
    for (const box of ["box3a", "box3b", "box3c"] as const) {
      const result = await staff.request(CreateVatReturnDocument, { input: { administrationId, period: { year: 2030, month: 1 }, boxes: { [box]: -1 } } });
      expect(result.createVatReturn.userErrors[0], box).to.deep.include({ code: UserErrorCode.Invalid, field: ["input", "boxes", box] });
    }
    const two = await staff.request(CreateVatReturnDocument, {
      input: { administrationId, period: { year: 2030, month: 1 }, boxes: { box3a: -1, box1a: { turnover: 1, vat: 0 }, box3c: -2 } },
    });
    expect(two.createVatReturn.userErrors.map((e) => e.field)).to.deep.equal([
      ["input", "boxes", "box3a"],
      ["input", "boxes", "box3c"],
    ]);
    const period = await staff.request(CreateVatReturnDocument, { input: { administrationId, period: { year: 2030, month: 1, quarter: 1 } } });
    expect(period.createVatReturn.userErrors[0]?.field).to.deep.equal(["input", "period"]);
    const month = await staff.request(CreateVatReturnDocument, { input: { administrationId, period: { year: 2030, month: 13 } } });
    expect(month.createVatReturn.userErrors[0]?.field).to.deep.equal(["input", "period", "month"]);

    // Rate checks: 21% of 10,000 is 2,100; €1 off is rounding, €2 is not.
    const rounding = await vatReturn({ box1a: { turnover: 10000, vat: 2101 }, box1b: { turnover: 1000, vat: 89 } });
    expect(rounding.warnings).to.deep.equal([]);
    const off = await vatReturn({ box1a: { turnover: 10000, vat: 2102 }, box1b: { turnover: 1000, vat: 100 } });
    expect(off.warnings.map((w) => [w.code, w.field])).to.deep.equal([
      ["VAT_RATE_MISMATCH", ["boxes", "box1a", "vat"]],
      ["VAT_RATE_MISMATCH", ["boxes", "box1b", "vat"]],
    ]);
    const again = await staff.request(CreateVatReturnDocument, { input: { administrationId, period: { year, quarter: 3 } } });
    expect(again.createVatReturn.userErrors[0]).to.deep.include({ code: UserErrorCode.AlreadyExists, field: ["input", "period"] });

    // ICP lines: member states only (not NL), VAT number per country, one line per customer, XI goods only.
    const bad = await staff.request(CreateIcpDeclarationDocument, {
      input: {
        administrationId,
        period: { year, quarter: 3 },
        lines: [
          { countryCode: "NL", vatNumber: "NL123456782B01", goods: 10 },
          { countryCode: "DE", vatNumber: "DE12345678", goods: 10 },
          { countryCode: "BE", vatNumber: "BE0123456749", services: 10 },
          { countryCode: "be", vatNumber: "0123.456.749", goods: 5 },
          { countryCode: "XI", vatNumber: "XI123456782", services: 10 },
          { countryCode: "FR", vatNumber: "FR40303265045", goods: -5 },
        ],
      },
    });
    expect(bad.createIcpDeclaration.userErrors.map((e) => [e.code, e.field])).to.deep.equal([
      [UserErrorCode.Invalid, ["input", "lines", "0", "countryCode"]],
      [UserErrorCode.Invalid, ["input", "lines", "1", "vatNumber"]],
      [UserErrorCode.AlreadyExists, ["input", "lines", "3", "vatNumber"]],
      [UserErrorCode.Invalid, ["input", "lines", "4", "services"]],
      [UserErrorCode.Invalid, ["input", "lines", "5", "goods"]],
    ]);

    // Box 3b against the ICP total of the same period: a warning on both, until they agree.
    const icp = unwrap(
      (
        await staff.request(CreateIcpDeclarationDocument, {
          input: { administrationId, period: { year, quarter: 3 }, lines: [{ countryCode: "DE", vatNumber: "DE 136 695 976", goods: 4000, services: 500, triangular: 100 }] },
        })
      ).createIcpDeclaration,
    ).icpDeclaration!;
    expect(icp).to.deep.include({ total: 4600 });
    expect((icp as { lines: unknown[] }).lines).to.deep.equal([{ countryCode: "DE", vatNumber: "DE136695976", goods: 4000, services: 500, triangular: 100 }]);
    expect((await filing(staff, off.id)).warnings.map((w) => w.field)).to.deep.include(["boxes", "box3b"]);
    expect((await filing(staff, icp.id)).warnings.map((w) => w.code)).to.deep.equal(["ICP_MISMATCH"]);
    unwrap((await staff.request(UpdateVatReturnDocument, { input: { filingId: off.id, version: off.version, boxes: { box3b: 4600 } } })).updateVatReturn);
    expect((await filing(staff, icp.id)).warnings).to.deep.equal([]);
  });

  it("runs the full path: approval asked, client told live and by mail, approved with a note, submitted, ACCEPTED, every step in the verified log", async () => {
    const quarter = { year: 2026, quarter: 3 };
    const vat = await vatReturn({ box1a: { turnover: 100000, vat: 21000 }, box3b: 12000, box4b: { turnover: 5000, vat: 1050 }, box5b: 8000 }, quarter);
    const icp = unwrap(
      (await staff.request(CreateIcpDeclarationDocument, { input: { administrationId, period: quarter, lines: [{ countryCode: "BE", vatNumber: "BE0123456749", goods: 12000 }] } }))
        .createIcpDeclaration,
    ).icpDeclaration!;
    expect(vat.warnings).to.deep.equal([]);

    const live = approver.subscribe(NotificationReceivedDocument);
    const updates = approver.subscribe(FilingUpdatedDocument, { administrationId });
    await settle();
    const mailsBefore = mail.to(world.clients[0]!.email).length;
    await requestApproval(vat.id, "Graag voor vrijdag akkoord");
    await requestApproval(icp.id);
    const notification = (await nextWithin(live)).notificationReceived;
    expect(notification).to.deep.include({
      kind: NotificationKind.FilingApprovalRequested,
      title: `Graag uw akkoord op de btw-aangifte 2026-Q3 (${world.administrations[0]!.name})`,
    });
    expect(notification.body).to.equal("Toelichting: Graag voor vrijdag akkoord");
    expect((await nextWithin(updates)).filingUpdated).to.deep.include({ id: vat.id, status: FilingStatus.AwaitingApproval });
    // Mails are sent side by side: find the VAT return's among the two.
    const requestMail = (await mail.waitFor(world.clients[0]!.email, mailsBefore + 2)).slice(mailsBefore).find((m) => m.subject.includes("btw-aangifte"));
    expect(requestMail, "the VAT return's approval mail").to.not.equal(undefined);
    expect(requestMail!.text).to.include(`/#/filings/${vat.id}`);

    // The client sees what they are asked to approve, and may decide.
    const seen = (await filing(approver, vat.id)) as Vat;
    expect(seen).to.deep.include({ status: FilingStatus.AwaitingApproval, viewerCanDecide: true, version: 1 });
    expect(seen.boxes).to.deep.include({ box5a: 22050, box5c: 14050, box5g: 14050 });
    const approved = unwrap((await approve(approver, vat.id, seen.version, "Akkoord, dank je")).approveFiling).filing!;
    expect(approved.status).to.equal(FilingStatus.Approved);
    expect(approved.approval).to.deep.include({ decision: "APPROVED", note: "Akkoord, dank je", version: 1, contentHash: seen.contentHash });
    unwrap((await approve(approver, icp.id, 1)).approveFiling);

    const submitted = unwrap((await staff.request(SubmitFilingDocument, { input: { filingId: vat.id } })).submitFiling).filing!;
    expect(submitted.status).to.equal(FilingStatus.Submitted);
    const done = await eventually(async () => {
      const f = await filing(staff, vat.id);
      return f.status === FilingStatus.Accepted ? f : null;
    }, 20_000);
    expect(done.submission!.statuses.map((s) => s.code)).to.deep.equal([105, 100, 110, 200, 301, 405, 400, 500]);
    expect(done.submission!.reference).to.be.a("string").and.not.equal("");

    // What Digipoort received is exactly what we stored as submitted.
    const { rows } = await env.sql<{ submission_message: string }>("SELECT submission_message FROM filings WHERE id = $1", [uuidOf(vat.id)]);
    const received = env.server.services.simulator!.received.find((m) => m.reference === done.submission!.reference)!;
    expect(received.xbrl).to.equal(rows[0]!.submission_message);
    expect(received.xbrl).to.include("bd-i:ValueAddedTaxOwedToBePaidBack");

    const steps = await history(vat.id);
    const actions = steps.map((s) => s.action);
    expect(actions.filter((a) => a !== "mail.sent" && a !== "filing.gateway_status")).to.deep.equal([
      "filing.created",
      "filing.approval_requested",
      "filing.approved",
      "filing.submitted",
      "filing.received_by_gateway",
      "filing.accepted",
    ]);
    expect(actions.filter((a) => a === "filing.gateway_status")).to.have.length(8);
    const requested = steps.find((s) => s.action === "filing.approval_requested")!;
    expect(requested).to.deep.include({ note: "Graag voor vrijdag akkoord" });
    expect(requested.actor.label).to.equal(world.accountant.email);
    const decided = steps.find((s) => s.action === "filing.approved")!;
    expect(decided).to.deep.include({ note: "Akkoord, dank je" });
    expect(decided.actor.label).to.equal(world.clients[0]!.email);
    expect(new Date(decided.occurredAt).getTime()).to.be.closeTo(Date.now(), 60_000);
    // The mails are part of the log: the request to the client, the approval to the firm's staff.
    const mails = await eventually(async () => {
      const found = (await history(vat.id)).filter((s) => s.action === "mail.sent");
      return found.length >= 3 ? found : null;
    });
    expect(mails.map((m) => [m.details.to, (m.details.steps as string[])[0]])).to.deep.include.members([
      [world.clients[0]!.email, NotificationKind.FilingApprovalRequested],
      [world.accountant.email, NotificationKind.FilingApproved],
      [world.admin.email, NotificationKind.FilingApproved],
    ]);
    const verified = (await staff.request(VerifyAuditTrailDocument, { administrationId })).verifyAuditTrail;
    expect(verified).to.deep.include({ valid: true, problem: null });
    await live.return!();
    await updates.return!();
  });

  it("shows drafts only to the firm, and lets only the administration's approvers decide", async () => {
    const draft = await vatReturn({ box1a: { turnover: 100, vat: 21 } });
    for (const client of [approver, viewer, otherClient]) {
      expect((await client.request(FilingDocument, { id: draft.id })).node).to.equal(null);
    }
    const listed = async (client: PortalDeskClient) =>
      (await client.request(FilingsDocument, { administrationId, kind: FilingKind.VatReturn, first: 100 })).administration.filings.nodes.map((n) => n.id);
    expect(await listed(approver)).to.not.include(draft.id);
    expect(await listed(staff)).to.include(draft.id);
    expect(await approver.request(CreateVatReturnDocument, { input: { administrationId, period: { year: 2040, month: 1 } } }).catch((e: unknown) => e)).to.be.instanceOf(
      ForbiddenError,
    );

    await requestApproval(draft.id);
    expect(await listed(approver)).to.include(draft.id);
    expect((await filing(viewer, draft.id)).viewerCanDecide).to.equal(false);
    expect(await approve(viewer, draft.id, 1).catch((e: unknown) => e)).to.be.instanceOf(ForbiddenError);
    expect(await approve(otherClient, draft.id, 1).catch((e: unknown) => e)).to.be.instanceOf(NotFoundError);
    expect(await approve(staff, draft.id, 1).catch((e: unknown) => e)).to.be.instanceOf(ForbiddenError);
    expect((await filing(staff, draft.id)).status).to.equal(FilingStatus.AwaitingApproval);
  });

  it("never shows a client a draft: not its earlier versions in the history, not after a withdrawn request, not live", async () => {
    const draft = await vatReturn({ box1a: { turnover: 111, vat: 23 } });
    unwrap((await staff.request(UpdateVatReturnDocument, { input: { filingId: draft.id, version: 1, boxes: { box1a: { turnover: 222, vat: 47 } } } })).updateVatReturn);
    await requestApproval(draft.id);
    const clientHistory = async (client: PortalDeskClient) =>
      ((await client.request(FilingHistoryDocument, { id: draft.id, first: 100 })).node as { events: { nodes: Array<{ action: string; details: Record<string, unknown> }> } })
        .events.nodes;
    for (const client of [approver, viewer]) {
      const steps = await clientHistory(client);
      expect(steps.map((s) => s.action)).to.deep.equal(["filing.approval_requested"]);
      // No draft content in any step: neither its boxes nor the amounts in them.
      expect(JSON.stringify(steps.map((s) => s.details))).not.to.match(/turnover|"entries"|"content"/);
    }
    // The approver's own mail may show in their history; never someone else's.
    await eventually(async () => (await clientHistory(approver)).some((s) => s.action === "mail.sent"));
    expect((await clientHistory(viewer)).map((s) => s.action)).to.not.include("mail.sent");

    const live = viewer.subscribe(FilingUpdatedDocument, { administrationId });
    await settle();
    unwrap((await staff.request(WithdrawApprovalRequestDocument, { input: { filingId: draft.id } })).withdrawApprovalRequest);
    unwrap((await staff.request(UpdateVatReturnDocument, { input: { filingId: draft.id, version: 2, boxes: { box1a: { turnover: 333, vat: 70 } } } })).updateVatReturn);
    for (const client of [approver, viewer]) {
      expect((await client.request(FilingDocument, { id: draft.id })).node).to.equal(null);
      const listed = (await client.request(FilingsDocument, { administrationId, kind: FilingKind.VatReturn, first: 100 })).administration.filings.nodes.map((n) => n.id);
      expect(listed).to.not.include(draft.id);
    }
    // Asked again: visible again, and the live event is the offered version (none of the draft ones came before it).
    await requestApproval(draft.id);
    const event = await nextWithin(live);
    expect(event.filingUpdated).to.deep.include({ id: draft.id, status: FilingStatus.AwaitingApproval, version: 3 });
    await live.return?.();
  });

  it("refuses a note longer than 2000 characters, naming the field, and changes nothing", async () => {
    const draft = await vatReturn({ box1a: { turnover: 100, vat: 21 } });
    const long = await staff.request(RequestFilingApprovalDocument, { input: { filingId: draft.id, note: "x".repeat(2001) } });
    expect(long.requestFilingApproval.userErrors[0]).to.deep.include({ code: UserErrorCode.Invalid, field: ["input", "note"] });
    expect((await filing(staff, draft.id)).status).to.equal(FilingStatus.Draft);
  });

  it("approves exactly the version seen: stale versions, a double click and approve racing withdraw", async () => {
    const first = await vatReturn({ box1a: { turnover: 1000, vat: 210 } });
    await requestApproval(first.id);
    unwrap((await staff.request(WithdrawApprovalRequestDocument, { input: { filingId: first.id, note: "Nog een factuur" } })).withdrawApprovalRequest);
    unwrap((await staff.request(UpdateVatReturnDocument, { input: { filingId: first.id, version: 1, boxes: { box1a: { turnover: 2000, vat: 420 } } } })).updateVatReturn);
    await requestApproval(first.id);
    const stale = await approve(approver, first.id, 1);
    expect(stale.approveFiling.userErrors[0]).to.deep.include({ code: UserErrorCode.Stale, field: ["input", "version"] });

    // A double click: two approvals of the same version at once; one wins, the other is told why.
    const clicks = await Promise.all([approve(approver, first.id, 2, "klik"), approve(approver, first.id, 2, "klik")]);
    expect(clicks.map((c) => c.approveFiling.userErrors[0]?.code ?? "ok").sort()).to.deep.equal(["WRONG_STATE", "ok"]);
    expect((await history(first.id)).filter((s) => s.action === "filing.approved")).to.have.length(1);

    // Approve racing withdraw: exactly one of them happens, and state and log agree.
    for (let round = 0; round < 3; round++) {
      const racing = await vatReturn({ box1a: { turnover: 100, vat: 21 } });
      await requestApproval(racing.id);
      // A withdrawn request is a draft again: to the client it is gone (NOT_FOUND) if the withdrawal came first.
      const [approval, withdrawal] = await Promise.all([
        approve(approver, racing.id, 1).then(
          (result): string => result.approveFiling.userErrors[0]?.code ?? "ok",
          (error: unknown) => (error instanceof NotFoundError ? "NOT_FOUND" : Promise.reject(error)),
        ),
        staff.request(WithdrawApprovalRequestDocument, { input: { filingId: racing.id } }),
      ]);
      const approvedWon = approval === "ok";
      expect(approvedWon).to.not.equal(withdrawal.withdrawApprovalRequest.userErrors.length === 0);
      if (approvedWon) expect(withdrawal.withdrawApprovalRequest.userErrors[0]?.code).to.equal(UserErrorCode.WrongState);
      else expect(approval).to.be.oneOf([UserErrorCode.WrongState, "NOT_FOUND"]);
      const state = await filing(staff, racing.id);
      expect(state.status).to.equal(approvedWon ? FilingStatus.Approved : FilingStatus.Draft);
      const actions = (await history(racing.id)).map((s) => s.action);
      expect(actions.filter((a) => a === "filing.approved" || a === "filing.approval_withdrawn")).to.deep.equal([approvedWon ? "filing.approved" : "filing.approval_withdrawn"]);
    }
    expect((await staff.request(VerifyAuditTrailDocument, { administrationId })).verifyAuditTrail.valid).to.equal(true);
  });

  it("needs a new approval after any change: reopened, rejected and edited, or changed behind the API's back", async () => {
    const vat = await vatReturn({ box1a: { turnover: 1000, vat: 210 } }, filablePeriod());
    await requestApproval(vat.id);
    // A rejection needs a reason; without one (or only spaces) nothing changes.
    for (const note of [undefined, "   "]) {
      const bare = await approver.request(RejectFilingDocument, { input: { filingId: vat.id, version: 1, note } });
      expect(bare.rejectFiling.userErrors).to.deep.equal([
        { code: UserErrorCode.Invalid, field: ["input", "note"], message: "Give the reason for rejecting, so the firm knows what to change" },
      ]);
    }
    expect((await filing(staff, vat.id)).status).to.equal(FilingStatus.AwaitingApproval);
    unwrap((await approver.request(RejectFilingDocument, { input: { filingId: vat.id, version: 1, note: "1a klopt niet" } })).rejectFiling);
    const notYet = await staff.request(SubmitFilingDocument, { input: { filingId: vat.id } });
    expect(notYet.submitFiling.userErrors[0]?.code).to.equal(UserErrorCode.WrongState);
    // Editing a rejected return makes it a draft again, without the old decision.
    const edited = unwrap(
      (await staff.request(UpdateVatReturnDocument, { input: { filingId: vat.id, version: 1, boxes: { box1a: { turnover: 1100, vat: 231 } } } })).updateVatReturn,
    ).vatReturn!;
    expect(edited).to.deep.include({ status: FilingStatus.Draft, approval: null, version: 2 });
    await requestApproval(vat.id);
    unwrap((await approve(approver, vat.id, 2)).approveFiling);
    const reopened = unwrap((await staff.request(ReopenFilingDocument, { input: { filingId: vat.id, note: "Toch nog een correctie" } })).reopenFiling).filing!;
    expect(reopened).to.deep.include({ status: FilingStatus.Draft, approval: null });
    await requestApproval(vat.id);
    unwrap((await approve(approver, vat.id, 2)).approveFiling);

    // Someone changes the approved content in the database: submission refuses it.
    await env.sql("UPDATE filings SET content = jsonb_set(content, '{entries,pairs,1a,vat}', '999') WHERE id = $1", [uuidOf(vat.id)]);
    const tampered = await staff.request(SubmitFilingDocument, { input: { filingId: vat.id } });
    expect(tampered.submitFiling.userErrors[0]).to.deep.include({ code: UserErrorCode.WrongState });
    expect(tampered.submitFiling.userErrors[0]!.message).to.match(/changed after the client approved/);
  });

  it("deletes a draft or a rejected return the firm will not offer, freeing the period; the trail keeps its content; nothing else can be deleted", async () => {
    const period = { year: ++year, quarter: 2 };
    const draft = await vatReturn({ box1a: { turnover: 1000, vat: 210 } }, period);
    const remove = (client: PortalDeskClient, filingId: string, note?: string) => client.request(DeleteFilingDocument, { input: { filingId, note } });
    // Clients cannot: a draft does not exist for them, and a client never deletes.
    expect(await remove(approver, draft.id).catch((e: unknown) => e)).to.be.instanceOf(NotFoundError);
    expect(await remove(otherClient, draft.id).catch((e: unknown) => e)).to.be.instanceOf(NotFoundError);
    expect(unwrap((await remove(staff, draft.id, "Verkeerde periode")).deleteFiling).deletedFilingId).to.equal(draft.id);
    expect(await filing(staff, draft.id)).to.equal(null);
    const [trail] = (await env.sql("SELECT action, note, details FROM audit_events WHERE subject_id = $1 AND action = 'filing.deleted'", [uuidOf(draft.id)])).rows as Array<{
      note: string;
      details: Record<string, unknown>;
    }>;
    expect(trail).to.deep.include({ note: "Verkeerde periode" });
    expect(trail!.details).to.include({ status: FilingStatus.Draft, version: 1, period: `${period.year}-Q2` });
    expect(trail!.details.contentHash).to.match(/^[0-9a-f]{64}$/);
    // Deleted twice: it is gone.
    expect(await remove(staff, draft.id).catch((e: unknown) => e)).to.be.instanceOf(NotFoundError);

    // The period is free again; waiting for approval it cannot be deleted, rejected it can.
    const again = await vatReturn({ box1a: { turnover: 1100, vat: 231 } }, period);
    await requestApproval(again.id);
    const waiting = (await remove(staff, again.id)).deleteFiling;
    expect(waiting.userErrors.map((e) => [e.code, e.message])).to.deep.equal([[UserErrorCode.WrongState, "This VAT return awaits the client's approval"]]);
    unwrap((await approver.request(RejectFilingDocument, { input: { filingId: again.id, version: 1, note: "Dit kwartaal doen we niet" } })).rejectFiling);
    expect(await remove(approver, again.id).catch((e: unknown) => e)).to.be.instanceOf(ForbiddenError);
    unwrap((await remove(staff, again.id)).deleteFiling);
    expect((await staff.request(VerifyAuditTrailDocument, { administrationId })).verifyAuditTrail.valid).to.equal(true);
  });

  it("lists a page of filings with warnings, decisions, administrations and histories in a fixed number of statements", async () => {
    const listYear = 2060;
    for (let month = 1; month <= 12; month++) {
      const icp = unwrap(
        (
          await staff.request(CreateIcpDeclarationDocument, {
            input: { administrationId, period: { year: listYear, month }, lines: [{ countryCode: "DE", vatNumber: "DE136695976", goods: 10 }] },
          })
        ).createIcpDeclaration,
      ).icpDeclaration!;
      await requestApproval(icp.id); // so the client sees them too
      const vat = unwrap(
        (
          await staff.request(CreateVatReturnDocument, {
            input: { administrationId, period: { year: listYear, month }, boxes: { box1a: { turnover: 1000, vat: 210 }, box3b: 10 } },
          })
        ).createVatReturn,
      ).vatReturn!;
      await requestApproval(vat.id);
    }
    for (const who of [staff, approver]) {
      const counts: number[] = [];
      for (const first of [1, 5, 20]) {
        const result = await who.request(FilingsOverviewDocument, { administrationId, first });
        expect(result.administration.filings.nodes).to.have.length(first);
        expect(result.administration.filings.nodes.every((n) => n.latestEvents.nodes.length > 0 && n.administration.id === administrationId)).to.equal(true);
        counts.push(who.lastExtensions?.sqlStatements as number);
      }
      expect(counts[0], "the same statements for 1, 5 and 20 filings").to.equal(counts[1]).and.equal(counts[2]);
    }
  });

  /** A filing approved by the client, ready to submit. */
  async function approvedFiling(): Promise<string> {
    const vat = await vatReturn({ box1a: { turnover: 1000, vat: 210 } }, filablePeriod());
    await requestApproval(vat.id);
    unwrap((await approve(approver, vat.id, 1)).approveFiling);
    return vat.id;
  }

  it("ends FAILED with the gateway's reason when authentication or validation fails, and tells the firm", async () => {
    const simulator = env.server.services.simulator!;
    for (const [stage, code] of [
      ["AUTHENTICATION", 210],
      ["VALIDATION", 311],
    ] as const) {
      simulator.failAt(stage);
      try {
        const id = await approvedFiling();
        unwrap((await staff.request(SubmitFilingDocument, { input: { filingId: id } })).submitFiling);
        const failed = await eventually(async () => {
          const f = await filing(staff, id);
          return f.status === FilingStatus.Failed ? f : null;
        }, 20_000);
        expect(failed.submission!.failureReason).to.match(new RegExp(`^${code} `));
        expect(failed.submission!.statuses.map((s) => s.code)).to.include(code);
        const { rows } = await env.sql("SELECT 1 FROM notifications WHERE kind = 'FILING_FAILED' AND subject_id = $1 AND recipient_user_id = $2", [
          uuidOf(id),
          world.accountant.id,
        ]);
        expect(rows).to.have.length(1);
      } finally {
        simulator.failAt(null);
      }
    }
  });

  it("does not believe a status answer changed on its way: the refusal is in the filing's history, and a later poll takes it to ACCEPTED", async () => {
    const id = await approvedFiling();
    const simulator = env.server.services.simulator!;
    simulator.tamperWithAnswers("ALL");
    try {
      unwrap((await staff.request(SubmitFilingDocument, { input: { filingId: id } })).submitFiling);
      // The hand-over's own answer is changed too: its outcome is unknown, so the filing fails, saying so.
      const failed = await eventually(async () => {
        const f = await filing(staff, id);
        return f.status === FilingStatus.Failed ? f : null;
      }, 20_000);
      expect(failed.submission!.failureReason).to.match(/^ANSWER_NOT_TRUSTED: .*may have arrived/);
    } finally {
      simulator.tamperWithAnswers(null);
    }

    // A status answer changed while a submission is pending is refused and logged, and polling goes on.
    const pending = await approvedFiling();
    simulator.tamperWithAnswers("STATUS");
    try {
      unwrap((await staff.request(SubmitFilingDocument, { input: { filingId: pending } })).submitFiling);
      await eventually(async () => ((await history(pending)).some((s) => s.action === "filing.gateway_answer_refused") ? true : null), 20_000);
    } finally {
      simulator.tamperWithAnswers(null);
    }
    const refused = (await history(pending)).find((s) => s.action === "filing.gateway_answer_refused")!;
    expect(refused.details.reason).to.match(/not trusted \(FailedCheck\)/);
    const accepted = await eventually(async () => {
      const f = await filing(staff, pending);
      return f.status === FilingStatus.Accepted ? f : null;
    }, 20_000);
    expect(accepted.submission!.statuses.map((s) => s.code)).to.include(400);
  });

  const submitAndWait = async (id: string) => {
    unwrap((await staff.request(SubmitFilingDocument, { input: { filingId: id } })).submitFiling);
    return eventually(async () => {
      const f = await filing(staff, id);
      return f.status === FilingStatus.Accepted || f.status === FilingStatus.Failed ? f : null;
    }, 20_000);
  };
  const receivedFor = (reference: string) => env.server.services.simulator!.received.find((m) => m.reference === reference)!;

  it("files a sole trader's return under the omzetbelastingnummer, never the btw-id, and checks both numbers' check digits", async () => {
    const admin = await env.signIn(world.admin.email);
    const soleTrader = gid("Administration", world.administrations[1]!.id);
    const wrong = await admin.request(UpdateAdministrationDocument, { input: { id: soleTrader, vatNumber: "NL123456789B01", omzetbelastingnummer: "123456789B01" } });
    expect(wrong.updateAdministration.userErrors.map((e) => [e.field, e.message])).to.deep.equal([
      [["input", "vatNumber"], '"NL123456789B01" is not a valid Dutch VAT number: its check digits do not match'],
      [["input", "omzetbelastingnummer"], '"123456789B01" is not a valid omzetbelastingnummer: its check digits do not match'],
    ]);
    // A btw-id issued to a sole trader since 2020 (mod 97), and the omzetbelastingnummer (elfproef) beside it.
    const updated = unwrap(
      (await admin.request(UpdateAdministrationDocument, { input: { id: soleTrader, vatNumber: "NL000099998B57", omzetbelastingnummer: "1112.22333.B01" } })).updateAdministration,
    ).administration!;
    expect(updated).to.deep.include({ vatNumber: "NL000099998B57", omzetbelastingnummer: "111222333B01" });

    const vat = unwrap(
      (await staff.request(CreateVatReturnDocument, { input: { administrationId: soleTrader, period: { year: 2026, month: 4 }, boxes: { box1a: { turnover: 800, vat: 168 } } } }))
        .createVatReturn,
    ).vatReturn!;
    unwrap((await staff.request(RequestFilingApprovalDocument, { input: { filingId: vat.id } })).requestFilingApproval);
    unwrap((await approve(otherClient, vat.id, 1)).approveFiling);
    const done = await submitAndWait(vat.id);
    expect(done.status).to.equal(FilingStatus.Accepted);
    const received = receivedFor(done.submission!.reference!);
    expect(received.identity).to.deep.equal({ nummer: "111222333B01", type: "BTW" });
    expect(received.xbrl).to.include('scheme="www.belastingdienst.nl/omzetbelastingnummer">111222333B01</xbrli:identifier>');
    expect(received.xbrl).to.not.include("000099998");
  });

  it("sends the correction of an accepted return as a suppletie, with the release it was written with", async () => {
    const period = filablePeriod();
    const original = await vatReturn({ box1a: { turnover: 1000, vat: 210 } }, period);
    await requestApproval(original.id);
    unwrap((await approve(approver, original.id, 1)).approveFiling);
    const accepted = await submitAndWait(original.id);
    expect(accepted.status).to.equal(FilingStatus.Accepted);
    expect(accepted.submission).to.deep.include({ suppletie: false });
    expect(accepted.submission!.taxonomyRelease).to.match(/^NT2[01] \/ bd 202[56]12\d\d$/);
    expect(receivedFor(accepted.submission!.reference!).berichtsoort).to.equal("Omzetbelasting");

    const correction = await vatReturn({ box1a: { turnover: 1200, vat: 252 } }, period);
    expect(correction.correctionNumber).to.equal(1);
    await requestApproval(correction.id);
    unwrap((await approve(approver, correction.id, 1)).approveFiling);
    const corrected = await submitAndWait(correction.id);
    expect(corrected.status).to.equal(FilingStatus.Accepted);
    expect(corrected.submission).to.deep.include({ suppletie: true });
    const received = receivedFor(corrected.submission!.reference!);
    expect(received.berichtsoort).to.equal("OBSUP");
    expect(received.xbrl).to.match(/xlink:href="http:\/\/www\.nltaxonomie\.nl\/nt2[01]\/bd\/\d{8}\/entrypoints\/bd-rpt-ob-suppletie-2026\.xsd"/);
    expect(received.xbrl).to.include(">1200</bd-i:TaxedTurnoverSuppliesServicesGeneralTariff>");
  });

  it("runs preflight before approval is asked: box 3b against the ICP declaration blocks without a reason and passes with one, which the client sees", async () => {
    const period = filablePeriod();
    const vat = await vatReturn({ box1a: { turnover: 1000, vat: 210 }, box3b: 5000 }, period);
    expect(vat.preflight.ok).to.equal(false);
    expect(vat.preflight.problems).to.deep.equal([
      {
        code: "ICP_MISMATCH",
        field: ["boxes", "box3b"],
        message: "Box 3b (€5000) differs from the ICP declaration of this period (there is none): correct one of them, or record why the difference is right",
      },
    ]);
    const refused = await staff.request(RequestFilingApprovalDocument, { input: { filingId: vat.id } });
    expect(refused.requestFilingApproval.userErrors.map((e) => [e.code, e.message])).to.deep.equal([
      [
        UserErrorCode.Invalid,
        "Not ready to file: Box 3b (€5000) differs from the ICP declaration of this period (there is none): correct one of them, or record why the difference is right",
      ],
    ]);
    expect((await filing(staff, vat.id)).status).to.equal(FilingStatus.Draft);

    unwrap(
      (
        await staff.request(CreateIcpDeclarationDocument, {
          input: { administrationId, period, lines: [{ countryCode: "DE", vatNumber: "DE136695976", goods: 4000 }] },
        })
      ).createIcpDeclaration,
    );
    expect(((await filing(staff, vat.id)) as Vat).preflight.problems[0]!.message).to.match(/^Box 3b \(€5000\) differs from the ICP declaration of this period \(€4000\)/);

    const reason = "€1000 aan een Duitse klant staat op de opgaaf van volgende maand (factuur 31 maart, levering 2 april)";
    const explained = unwrap((await staff.request(UpdateVatReturnDocument, { input: { filingId: vat.id, version: 1, boxes: {}, icpDifferenceReason: reason } })).updateVatReturn)
      .vatReturn! as Vat;
    expect(explained.preflight).to.deep.equal({ ok: true, problems: [] });
    await requestApproval(vat.id);
    const seen = (await filing(approver, vat.id)) as Vat;
    expect(seen).to.deep.include({ status: FilingStatus.AwaitingApproval, icpDifferenceReason: reason });
    // The reason is part of what the client approves: the proof's content carries it.
    const { rows } = await env.sql<{ content: { icpDifferenceReason?: string } }>("SELECT content FROM filings WHERE id = $1", [uuidOf(vat.id)]);
    expect(rows[0]!.content.icpDifferenceReason).to.equal(reason);
  });

  it("words preflight for a client without the figures of an ICP declaration the firm is still preparing", async () => {
    const period = filablePeriod();
    const vat = await vatReturn({ box1a: { turnover: 1000, vat: 210 } }, period);
    await requestApproval(vat.id);
    // The firm starts the period's ICP declaration after asking approval: a draft the client does not see.
    unwrap(
      (
        await staff.request(CreateIcpDeclarationDocument, {
          input: { administrationId, period, lines: [{ countryCode: "DE", vatNumber: "DE136695976", goods: 4321 }] },
        })
      ).createIcpDeclaration,
    );
    expect(((await filing(staff, vat.id)) as Vat).preflight.problems.map((p) => p.message)).to.deep.equal([
      "Box 3b (€0) differs from the ICP declaration of this period (€4321): correct one of them, or record why the difference is right",
    ]);
    const forClient = ((await filing(approver, vat.id)) as Vat).preflight.problems.map((p) => p.message);
    expect(forClient).to.deep.equal([
      "Box 3b (€0) differs from the ICP declaration the firm is preparing for this period: correct one of them, or record why the difference is right",
    ]);
  });

  it("refuses to submit a filing no taxonomy release covers, saying which release has what", async () => {
    const vat = await vatReturn({ box1a: { turnover: 1000, vat: 210 } });
    await requestApproval(vat.id);
    unwrap((await approve(approver, vat.id, 1)).approveFiling);
    const refused = await staff.request(SubmitFilingDocument, { input: { filingId: vat.id } });
    expect(refused.submitFiling.userErrors[0]).to.deep.include({ code: UserErrorCode.Invalid, field: ["input", "filingId"] });
    expect(refused.submitFiling.userErrors[0]!.message).to.match(
      /^This filing cannot be filed electronically: NT2[01] \/ bd \d{8}, in use on \d{4}-\d{2}-\d{2}, has no VAT return for periods in 20\d\d \(it has: 2026/,
    );
    expect((await filing(staff, vat.id)).status).to.equal(FilingStatus.Approved);
  });

  it("keeps a submission the gateway could not be reached for, and hands it over on the next try", async () => {
    const id = await approvedFiling();
    // Marked submitted without queueing the job, so that this test drives the hand-over itself.
    const { services } = env.server;
    const entity = await services.dataSource.getRepository(Filing).findOneByOrFail({ id: uuidOf(id) });
    const administration = await services.dataSource.getRepository(Administration).findOneByOrFail({ id: entity.administrationId });
    const message = filingMessage(entity, administration, { name: "PortalDesk", version: "test" }, { sentAt: new Date(), suppletie: false }).xbrl;
    await env.sql("UPDATE filings SET status = 'SUBMITTED', submitted_by_label = 'test', submission_message = $2 WHERE id = $1", [uuidOf(id), message]);
    const unreachable = new FilingSubmissions(
      services.dataSource,
      services.filings,
      services.jobs,
      new DigipoortClient(services.simulator!.clientOptions({ submitUrl: "https://127.0.0.1:9/aanleverservice", statusUrl: "https://127.0.0.1:9/status", timeoutMs: 2000 })),
      { pollIntervalSeconds: 1, software: { name: "PortalDesk", version: "test" } },
    );
    const error = await unreachable.send(uuidOf(id)).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(GatewayError);
    expect((error as GatewayError).retryable, "the queue retries it").to.equal(true);
    const kept = await filing(staff, id);
    expect(kept.status).to.equal(FilingStatus.Submitted);
    expect(kept.submission!.reference).to.equal(null);

    // The retry (the same job, now reaching the gateway) takes it from there.
    await services.submissions.send(uuidOf(id));
    const reached = await eventually(async () => {
      const f = await filing(staff, id);
      return f.status !== FilingStatus.Submitted ? f : null;
    }, 20_000);
    expect(reached.submission!.reference).to.be.a("string");
    expect(reached.submission!.statuses.map((s) => s.code)).to.include(100);

    // When the queue's last attempt fails too, the filing ends FAILED with the reason, and the firm is told.
    const unlucky = await approvedFiling();
    const unluckyEntity = await services.dataSource.getRepository(Filing).findOneByOrFail({ id: uuidOf(unlucky) });
    const unluckyMessage = filingMessage(unluckyEntity, administration, { name: "PortalDesk", version: "test" }, { sentAt: new Date(), suppletie: false }).xbrl;
    await env.sql("UPDATE filings SET status = 'SUBMITTED', submitted_by_label = 'test', submission_message = $2 WHERE id = $1", [uuidOf(unlucky), unluckyMessage]);
    await unreachable.send(uuidOf(unlucky), { attempt: 6, lastAttempt: true });
    const gaveUp = await filing(staff, unlucky);
    expect(gaveUp.status).to.equal(FilingStatus.Failed);
    expect(gaveUp.submission!.failureReason).to.match(/^UNREACHABLE: .*\(gave up after 6 attempts; it never reached the gateway\)$/);
    const { rows } = await env.sql("SELECT 1 FROM notifications WHERE kind = 'FILING_FAILED' AND subject_id = $1 AND recipient_user_id = $2", [
      uuidOf(unlucky),
      world.accountant.id,
    ]);
    expect(rows).to.have.length(1);
  });

  it("approves at once while the SMTP server is down; the mail follows when it is back", async () => {
    const vat = await vatReturn({ box1a: { turnover: 500, vat: 105 } });
    await requestApproval(vat.id);
    // The server refuses this approval's mail to the accountant once.
    mail.failNext(world.accountant.email, 1, `${vat.period.label} (`);
    const started = Date.now();
    unwrap((await approve(approver, vat.id, 1)).approveFiling);
    // The first retry comes 5 s or more later: an approval that waited for the mail would take longer.
    expect(Date.now() - started, "the approval does not wait for mail").to.be.below(4000);
    const label = vat.period.label;
    const approved = await eventually(async () => mail.to(world.accountant.email).find((m) => m.subject.includes(label) && m.subject.includes("goedgekeurd")), 45_000);
    expect(approved.subject).to.include("heeft de btw-aangifte");
    // The server has the mail before the job commits that it was sent: wait for that too.
    const rows = await eventually(async () => {
      const { rows: found } = await env.sql<{ attempts: number; sent: boolean }>(
        "SELECT attempts, sent_at IS NOT NULL AS sent FROM outgoing_mails WHERE to_address = $1 AND subject_id = $2 AND notification_kind = 'FILING_APPROVED'",
        [world.accountant.email, uuidOf(vat.id)],
      );
      return found[0]?.sent ? found : null;
    });
    expect(rows).to.deep.equal([{ attempts: 2, sent: true }]);
  }).timeout(60_000);
});

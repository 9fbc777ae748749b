// Deadlines: when each VAT return and ICP declaration is due (the law's term, moved past weekends and
// general holidays), each administration's calendar, the firm-wide list of returns due, and the
// reminders to whoever has the next step — once per return and step, also with two instances.
import {
  AdministrationCalendarsDocument,
  ApproveFilingDocument,
  CreateIcpDeclarationDocument,
  CreateVatReturnDocument,
  DeadlineState,
  FilingCalendarDocument,
  FilingFrequency,
  FilingKind,
  FilingDeadlinesDocument,
  FilingStatus,
  FilingDocument,
  RequestFilingApprovalDocument,
  SubmitFilingDocument,
  UpdateAdministrationDocument,
  unwrap,
  type FilingDeadlineFieldsFragment,
  type FilingFieldsFragment,
  type FilingDeadlinesQuery,
  type PortalDeskClient,
} from "@portaldesk/sdk";
import { expect } from "chai";
import { dueDate, lastTermEndDueBefore, termEnd } from "../src/modules/deadlines/due-dates.js";
import { operation } from "./support/broad-selection.js";
import { eventually, gid, TestEnv, type World } from "./support/harness.js";
import { MailCapture } from "./support/mail-capture.js";

/** The error a request fails with (null when it succeeds). */
const failure = (request: Promise<unknown>) =>
  request.then(
    () => null,
    (e: Error) => e,
  );
const month = (year: number, m: number) => ({ year, month: m, quarter: null });
const quarter = (year: number, q: number) => ({ year, month: null, quarter: q });

describe("filing deadlines: the rule", () => {
  it("is the last day of the month after the period, moved past weekends and general holidays", () => {
    expect(termEnd(quarter(2026, 1))).to.equal("2026-04-30");
    expect(dueDate(quarter(2026, 1)), "a Thursday").to.equal("2026-04-30");
    expect(dueDate(quarter(2025, 4)), "31 January 2026 is a Saturday").to.equal("2026-02-02");
    expect(dueDate(month(2026, 1)), "28 February 2026 is a Saturday").to.equal("2026-03-02");
    expect(dueDate(quarter(2026, 3)), "31 October 2026 is a Saturday").to.equal("2026-11-02");
    expect(dueDate(quarter(2026, 4)), "31 January 2027 is a Sunday").to.equal("2027-02-01");
    expect(dueDate(month(2024, 2)), "31 March 2024 is Easter Sunday, 1 April Easter Monday").to.equal("2024-04-02");
    expect(dueDate(month(2004, 4)), "31 May 2004 is Whit Monday").to.equal("2004-06-01");
    expect(dueDate(month(2026, 11)), "31 December is no holiday").to.equal("2026-12-31");
  });

  it("knows the last term whose due date falls before a day", () => {
    expect(lastTermEndDueBefore("2026-03-03")).to.equal("2026-02-28");
    expect(lastTermEndDueBefore("2026-03-02"), "the term of 28 February is due on 2 March").to.equal("2026-01-31");
    expect(lastTermEndDueBefore("2026-02-02"), "the term of 31 January is due on 2 February").to.equal("2025-12-31");
    expect(lastTermEndDueBefore("2026-05-01")).to.equal("2026-04-30");
  });
});

describe("filing deadlines: calendar, returns due and reminders", function () {
  this.timeout(240_000);
  let mail: MailCapture;
  let env: TestEnv;
  let world: World;
  let other: World;
  let staff: PortalDeskClient;
  let client: PortalDeskClient;
  let ids: string[];
  const filings: Record<string, string> = {};
  // Independent of the code under test: the day it is in Amsterdam.
  const today = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  const dayMs = 86_400_000;
  const daysFromToday = (date: string) => Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today()}T00:00:00Z`)) / dayMs);
  const short = (d: FilingDeadlineFieldsFragment) => `${d.kind === FilingKind.VatReturn ? "VAT" : "ICP"} ${d.period.label} ${d.dueDate} ${d.state}`;

  before(async () => {
    mail = await MailCapture.start();
    env = await TestEnv.create({ SMTP_URL: mail.url, DIGIPOORT_SIMULATOR_STEP_MS: "50", FILING_POLL_INTERVAL: "1s" });
    world = await env.createWorld({ administrations: 3 });
    other = await env.createWorld({ administrations: 1 });
    ids = world.administrations.map((a) => gid("Administration", a.id));
    const admin = await env.signIn(world.admin.email);
    staff = await env.signIn(world.accountant.email);
    client = await env.signIn(world.clients[0]!.email);

    // 0: quarterly VAT and ICP from 2026; 1: monthly VAT from mid-June 2026, no ICP; 2: the defaults (quarterly VAT from today).
    const update = async (id: string, fields: object) => unwrap((await admin.request(UpdateAdministrationDocument, { input: { id, ...fields } })).updateAdministration);
    await update(ids[0]!, { vatNumber: "NL123456782B01", vatFilingFrequency: FilingFrequency.Quarterly, icpFilingFrequency: FilingFrequency.Quarterly, filingsFrom: "2026-01-01" });
    await update(ids[1]!, { vatFilingFrequency: FilingFrequency.Monthly, filingsFrom: "2026-06-15" });
    await update(ids[0]!, {}); // nothing changes
    await env.sql("UPDATE administrations SET filings_from = '2026-01-01', vat_filing_frequency = 'QUARTERLY', icp_filing_frequency = 'NONE' WHERE id = $1", [
      other.administrations[0]!.id,
    ]);

    const vat = async (id: string, q: number) =>
      unwrap(
        (await staff.request(CreateVatReturnDocument, { input: { administrationId: id, period: { year: 2026, quarter: q }, boxes: { box1a: { turnover: 1000, vat: 210 } } } }))
          .createVatReturn,
      ).vatReturn!.id;
    // Q1: approved, submitted and accepted.
    filings.q1 = await vat(ids[0]!, 1);
    unwrap((await staff.request(RequestFilingApprovalDocument, { input: { filingId: filings.q1 } })).requestFilingApproval);
    unwrap((await client.request(ApproveFilingDocument, { input: { filingId: filings.q1, version: 1 } })).approveFiling);
    unwrap((await staff.request(SubmitFilingDocument, { input: { filingId: filings.q1 } })).submitFiling);
    await eventually(async () => ((await staff.request(FilingDocument, { id: filings.q1 })).node as FilingFieldsFragment).status === FilingStatus.Accepted, 30_000);
    // Q2: awaiting the client's approval; Q3: a draft.
    filings.q2 = await vat(ids[0]!, 2);
    unwrap((await staff.request(RequestFilingApprovalDocument, { input: { filingId: filings.q2 } })).requestFilingApproval);
    filings.q3 = await vat(ids[0]!, 3);
    // An ICP declaration of administration 1, which does not file them regularly and only from June.
    filings.icp = unwrap(
      (
        await staff.request(CreateIcpDeclarationDocument, {
          input: { administrationId: ids[1]!, period: { year: 2026, quarter: 1 }, lines: [{ countryCode: "DE", vatNumber: "DE136695976", goods: 500 }] },
        })
      ).createIcpDeclaration,
    ).icpDeclaration!.id;
  });
  after(async () => {
    await env?.close();
    await mail?.stop();
  });

  const calendarOf = async (who: PortalDeskClient, id: string, year: number) => {
    const node = (await who.request(FilingCalendarDocument, { administrationId: id, year })).node as { filingCalendar: FilingDeadlineFieldsFragment[] };
    return node.filingCalendar;
  };

  it("lists every period of the year with its due date and state, and flags the overdue ones", async () => {
    const calendar = await calendarOf(staff, ids[0]!, 2026);
    expect(calendar.map(short)).to.deep.equal([
      "ICP 2026-Q1 2026-04-30 NOT_PREPARED",
      "VAT 2026-Q1 2026-04-30 ACCEPTED",
      "ICP 2026-Q2 2026-07-31 NOT_PREPARED",
      "VAT 2026-Q2 2026-07-31 AWAITING_APPROVAL",
      "ICP 2026-Q3 2026-11-02 NOT_PREPARED",
      "VAT 2026-Q3 2026-11-02 NOT_PREPARED",
      "ICP 2026-Q4 2027-02-01 NOT_PREPARED",
      "VAT 2026-Q4 2027-02-01 NOT_PREPARED",
    ]);
    for (const d of calendar) {
      expect(d.daysLeft, short(d)).to.equal(daysFromToday(d.dueDate));
      expect(d.overdue, short(d)).to.equal(d.state !== DeadlineState.Accepted && d.dueDate < today());
      expect(d.administration.id).to.equal(ids[0]);
    }
    expect(calendar[1]!.filing!.id).to.equal(filings.q1);
    expect(calendar[5]!.filing, "staff see the draft behind NOT_PREPARED").to.include({ id: filings.q3, status: FilingStatus.Draft });
    expect(calendar[0]!.filing).to.equal(null);
    // Every filing's period says when it is due, the same day as the calendar.
    expect(((await staff.request(FilingDocument, { id: filings.q3! })).node as FilingFieldsFragment).period.dueDate).to.equal("2026-11-02");
    const future = await calendarOf(staff, ids[0]!, 2099);
    expect(future.map((d) => [d.overdue, d.daysLeft > 0])).to.deep.equal(Array.from({ length: 8 }, () => [false, true]));
    expect(await calendarOf(staff, ids[0]!, 2025), "before filingsFrom: nothing").to.deep.equal([]);
  });

  it("follows a monthly frequency from the month of filingsFrom, and shows a filing made outside the frequencies", async () => {
    const calendar = await calendarOf(staff, ids[1]!, 2026);
    expect(calendar.map(short)).to.deep.equal([
      "ICP 2026-Q1 2026-04-30 NOT_PREPARED",
      "VAT 2026-06 2026-07-31 NOT_PREPARED",
      "VAT 2026-07 2026-08-31 NOT_PREPARED",
      "VAT 2026-08 2026-09-30 NOT_PREPARED",
      "VAT 2026-09 2026-11-02 NOT_PREPARED",
      "VAT 2026-10 2026-11-30 NOT_PREPARED",
      "VAT 2026-11 2026-12-31 NOT_PREPARED",
      "VAT 2026-12 2027-02-01 NOT_PREPARED",
    ]);
    expect(calendar[0]!.filing!.id).to.equal(filings.icp);
  });

  it("shows a client their own calendar without the firm's drafts, and no other administration's", async () => {
    const calendar = await calendarOf(client, ids[0]!, 2026);
    const q3 = calendar.find((d) => d.kind === FilingKind.VatReturn && d.period.label === "2026-Q3")!;
    expect(q3.state).to.equal(DeadlineState.NotPrepared);
    expect(q3.filing, "a client never sees a draft").to.equal(null);
    expect(calendar.find((d) => d.period.label === "2026-Q2" && d.kind === FilingKind.VatReturn)!.filing!.id).to.equal(filings.q2);
    // node(id) is null for an administration the viewer may not see.
    const calendar404 = async (who: PortalDeskClient, administrationId: string) => (await who.request(FilingCalendarDocument, { administrationId, year: 2026 })).node;
    expect(await calendar404(client, ids[1]!), "not a member").to.equal(null);
    expect(await calendar404(await env.signIn(other.admin.email), ids[0]!), "another firm's").to.equal(null);
  });

  it("refuses a year out of range and a filingsFrom that is no date with a clear error", async () => {
    const admin = await env.signIn(world.admin.email);
    const impossible = await failure(admin.request(UpdateAdministrationDocument, { input: { id: ids[2]!, filingsFrom: "2026-02-30" } }));
    expect(impossible?.message).to.contain('at "input.filingsFrom"; Value is not a valid LocalDate');
    // A real day the server will not take is a userErrors entry naming the field.
    const { updateAdministration } = await admin.request(UpdateAdministrationDocument, { input: { id: ids[2]!, filingsFrom: "1999-12-31" } });
    expect(updateAdministration.userErrors.map((e) => e.field)).to.deep.equal([["input", "filingsFrom"]]);
    const error = await failure(staff.request(FilingCalendarDocument, { administrationId: ids[0]!, year: 1999 }));
    expect(error?.message).to.match(/`year` must be between 2000 and 2100/);
  });

  it("the deprecated filingsDue keeps working, with dueBefore and with its deprecated before, the same as filingDeadlines", async () => {
    const due = operation<{ filingsDue: { totalCount: number; nodes: Array<{ period: { label: string } }> } }, { day: string }>(
      "query($day: LocalDate!) { filingsDue(dueBefore: $day, first: 50) { totalCount nodes { period { label } } } }",
    );
    const byDueBefore = await staff.request(due, { day: "2026-08-01" });
    const byOld = await staff.request(
      operation<{ filingsDue: { nodes: Array<{ period: { label: string } }> } }, { day: string }>(
        "query($day: String!) { filingsDue(before: $day, first: 50) { nodes { period { label } } } }",
      ),
      { day: "2026-08-01" },
    );
    const byNew = await staff.request(FilingDeadlinesDocument, { dueBefore: "2026-08-01", first: 50 });
    expect(byDueBefore.filingsDue.totalCount).to.equal(5);
    const labels = byNew.filingDeadlines.nodes.map((d) => d.period.label);
    expect(labels).to.have.length(5);
    expect(byDueBefore.filingsDue.nodes.map((d) => d.period.label)).to.deep.equal(labels);
    expect(byOld.filingsDue.nodes.map((d) => d.period.label)).to.deep.equal(labels);
    // Introspection says so, with the replacement.
    const { __type } = await staff.request(
      operation<{
        __type: {
          fields: Array<{ name: string }>;
          all: Array<{
            name: string;
            isDeprecated: boolean;
            deprecationReason: string | null;
            args: Array<{ name: string; isDeprecated: boolean; deprecationReason: string | null }>;
          }>;
        };
      }>(
        '{ __type(name: "Query") { fields { name } all: fields(includeDeprecated: true) { name isDeprecated deprecationReason args(includeDeprecated: true) { name isDeprecated deprecationReason } } } }',
      ),
    );
    const field = __type.all.find((f) => f.name === "filingsDue")!;
    expect(field).to.deep.include({ isDeprecated: true });
    expect(field.deprecationReason).to.contain("Use `filingDeadlines(dueBefore:)`");
    expect(
      __type.fields.map((f) => f.name),
      "deprecated: listed only with includeDeprecated",
    ).not.to.include("filingsDue");
    const args = field.args;
    expect(args.find((a) => a.name === "before")).to.deep.include({ isDeprecated: true });
    expect(args.find((a) => a.name === "before")!.deprecationReason).to.contain("Use `dueBefore`");
    expect(args.find((a) => a.name === "dueBefore")).to.deep.include({ isDeprecated: false });
    // Neither, both, or an impossible day are refused.
    const neither = await failure(staff.request(operation("{ filingsDue { totalCount } }")));
    expect(neither?.message).to.contain("Give `dueBefore`");
    const both = await failure(staff.request(operation('{ filingsDue(dueBefore: "2026-08-01", before: "2026-08-01") { totalCount } }')));
    expect(both?.message).to.contain("not both");
    const impossible = await failure(staff.request(operation('{ filingsDue(dueBefore: "2026-02-30") { totalCount } }')));
    expect(impossible?.constructor.name).to.be.oneOf(["BadUserInputError", "InvalidRequestError"]);
  });

  it("lists the returns due before a day across the firm, soonest first, in pages", async () => {
    const all: FilingDeadlineFieldsFragment[] = [];
    let after: string | null = null;
    let total = 0;
    for (let pages = 0; pages < 10; pages++) {
      const { filingDeadlines }: FilingDeadlinesQuery = await staff.request(FilingDeadlinesDocument, { dueBefore: "2026-08-01", first: 2, after });
      all.push(...filingDeadlines.nodes);
      total = filingDeadlines.totalCount;
      if (!filingDeadlines.pageInfo.hasNextPage) break;
      after = filingDeadlines.pageInfo.endCursor;
    }
    const names = world.administrations.map((a) => a.name);
    expect(all.map((d) => `${names.indexOf(d.administration.name)} ${short(d)}`)).to.deep.equal([
      "0 ICP 2026-Q1 2026-04-30 NOT_PREPARED",
      "1 ICP 2026-Q1 2026-04-30 NOT_PREPARED",
      "0 ICP 2026-Q2 2026-07-31 NOT_PREPARED",
      "0 VAT 2026-Q2 2026-07-31 AWAITING_APPROVAL",
      "1 VAT 2026-06 2026-07-31 NOT_PREPARED",
    ]);
    expect(total).to.equal(5);
    expect(all.every((d) => d.overdue)).to.equal(true);
    // Due on 31 July: not before 31 July.
    const earlier = (await staff.request(FilingDeadlinesDocument, { dueBefore: "2026-07-31" })).filingDeadlines;
    expect(earlier.nodes.map(short)).to.deep.equal(["ICP 2026-Q1 2026-04-30 NOT_PREPARED", "ICP 2026-Q1 2026-04-30 NOT_PREPARED"]);
    expect(earlier.totalCount).to.equal(2);
  });

  it("lists for a client only their administrations, and for another firm only its own", async () => {
    const forClient = (await client.request(FilingDeadlinesDocument, { dueBefore: "2027-01-01" })).filingDeadlines.nodes;
    expect(forClient.map(short)).to.deep.equal([
      "ICP 2026-Q1 2026-04-30 NOT_PREPARED",
      "ICP 2026-Q2 2026-07-31 NOT_PREPARED",
      "VAT 2026-Q2 2026-07-31 AWAITING_APPROVAL",
      "ICP 2026-Q3 2026-11-02 NOT_PREPARED",
      "VAT 2026-Q3 2026-11-02 NOT_PREPARED",
    ]);
    expect(forClient.find((d) => d.period.label === "2026-Q3" && d.kind === FilingKind.VatReturn)!.filing).to.equal(null);
    const outsider = await env.signIn(other.admin.email);
    const theirs = (await outsider.request(FilingDeadlinesDocument, { dueBefore: "2026-08-01" })).filingDeadlines.nodes;
    expect(theirs.map((d) => `${d.administration.name} ${short(d)}`)).to.deep.equal([
      `${other.administrations[0]!.name} VAT 2026-Q1 2026-04-30 NOT_PREPARED`,
      `${other.administrations[0]!.name} VAT 2026-Q2 2026-07-31 NOT_PREPARED`,
    ]);
  });

  it("refuses a forged cursor and a malformed day", async () => {
    for (const variables of [
      { dueBefore: "2026-08-01", after: Buffer.from(JSON.stringify(["2026-04-30", "x", "not-a-uuid", "VAT_RETURN", "2026-01-01"])).toString("base64url") },
      { dueBefore: "2026-08-01", after: "garbage" },
      { dueBefore: "2026-08-01", last: 2, before: "garbage" },
    ]) {
      const error = await failure(staff.request(FilingDeadlinesDocument, variables));
      expect(error?.message).to.match(new RegExp(`\`${"before" in variables ? "before" : "after"}\` is not a cursor returned by this list`));
    }
    // An impossible day is refused by the LocalDate scalar, a day out of range by the server.
    for (const dueBefore of ["2026-02-30", "next week"]) {
      const error = await failure(staff.request(FilingDeadlinesDocument, { dueBefore }));
      expect(error?.message, dueBefore).to.match(/LocalDate|date/i);
    }
    expect((await failure(staff.request(FilingDeadlinesDocument, { dueBefore: "1999-12-31" })))?.message).to.match(/`dueBefore` must be a date/);
    // The deprecated argument names itself.
    const old = operation("query($day: String!) { filingsDue(before: $day) { totalCount } }");
    expect((await failure(staff.request(old, { day: "1999-12-31" })))?.message).to.match(/`before` must be a date/);
  });

  it("loads the calendars of a page of administrations in as many statements as one", async () => {
    const counts: number[] = [];
    for (const first of [1, 3]) {
      const result = await staff.request(AdministrationCalendarsDocument, { year: 2026, first });
      expect(result.administrations.nodes).to.have.length(first);
      counts.push(staff.lastExtensions?.sqlStatements as number);
    }
    expect(counts[1], `statements for 1 and 3 administrations: ${counts.join(", ")}`).to.be.at.most(counts[0]! + 1);
  });

  it("reminds whoever has the next step once per return and step, with two instances at the same moment", async () => {
    // A week before 31 July 2026: VAT Q2 waits for the client's approval, ICP Q2 and VAT June are not
    // prepared (ICP Q1, overdue for more than a month, is no longer reminded of).
    const now = new Date("2026-07-24T08:00:00Z");
    const second = await env.startServer({ RUN_JOBS: "false" });
    const [a, b] = await Promise.all([env.server.services.deadlineReminders.remindDue(now), second.services.deadlineReminders.remindDue(now)]);
    // The fourth: the other firm's VAT Q2, to its own staff.
    expect(a + b, "four reminders, whichever instance sent them").to.equal(4);
    expect(await env.server.services.deadlineReminders.remindDue(now), "not again").to.equal(0);

    const sent = async (kind: string) =>
      (
        await env.sql<{ email: string; title: string; body: string }>(
          "SELECT u.email, n.title, n.body FROM notifications n JOIN users u ON u.id = n.recipient_user_id WHERE n.kind = $1 AND n.firm_id = $2 ORDER BY u.email, n.title",
          [kind, world.firm.id],
        )
      ).rows;
    const staffReminders = await sent("FILING_DEADLINE");
    expect(staffReminders.map((r) => r.email).sort()).to.deep.equal([world.accountant.email, world.accountant.email, world.admin.email, world.admin.email].sort());
    const names = world.administrations.map((a) => a.name);
    expect(staffReminders.filter((r) => r.email === world.accountant.email).map((r) => r.title)).to.have.members([
      `De btw-aangifte 2026-06 (${names[1]}) moet uiterlijk 31 juli 2026 binnen zijn`,
      `De ICP-opgaaf 2026-Q2 (${names[0]}) moet uiterlijk 31 juli 2026 binnen zijn`,
    ]);
    expect(staffReminders[0]!.body).to.equal("Nog 7 dagen. Zet de aangifte klaar en vraag de klant om akkoord.");
    const clientReminders = await sent("FILING_APPROVAL_REMINDER");
    expect(clientReminders.map((r) => [r.email, r.title])).to.deep.equal([[world.clients[0]!.email, `De btw-aangifte 2026-Q2 (${names[0]}) wacht op uw akkoord`]]);
    const mails = await eventually(async () => {
      const found = mail.to(world.clients[0]!.email).filter((m) => m.subject.includes("wacht op uw akkoord"));
      return found.length ? found : null;
    }, 15_000);
    expect(mails).to.have.length(1);
    expect(mails[0]!.text).to.include("uiterlijk 31 juli 2026 binnen zijn");

    // The client approves: the next step is the firm's, and that is reminded of once, too.
    unwrap((await client.request(ApproveFilingDocument, { input: { filingId: filings.q2, version: 1 } })).approveFiling);
    const later = new Date("2026-07-27T08:00:00Z");
    expect(await Promise.all([env.server.services.deadlineReminders.remindDue(later), second.services.deadlineReminders.remindDue(later)])).to.have.members([0, 1]);
    const submit = (await sent("FILING_DEADLINE")).filter((r) => r.title.startsWith("De btw-aangifte 2026-Q2"));
    expect(submit.map((r) => r.body)).to.deep.equal(Array(2).fill("Nog 4 dagen. De klant heeft akkoord gegeven: dien de aangifte in."));
    const { rows } = await env.sql<{ step: string }>("SELECT step FROM filing_reminders WHERE administration_id = $1 AND kind = 'VAT_RETURN' ORDER BY created_at", [
      world.administrations[0]!.id,
    ]);
    expect(rows.map((r) => r.step)).to.deep.equal(["APPROVE", "SUBMIT"]);
  });
});

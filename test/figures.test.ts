import {
  BadUserInputError,
  FiguresDocument,
  FiguresGranularity,
  ForbiddenError,
  NotFoundError,
  RecordFinancialFiguresDocument,
  SetFiguresVisibleDocument,
  unwrap,
  type PortalDeskClient,
} from "@portaldesk/sdk";
import { expect } from "chai";
import { gid, TestEnv, type World } from "./support/harness.js";

describe("financial figures", () => {
  let env: TestEnv;
  let world: World;
  let staff: PortalDeskClient;
  let client: PortalDeskClient;
  let otherClient: PortalDeskClient;
  let administrationId: string;

  before(async () => {
    env = await TestEnv.create();
    world = await env.createWorld({ administrations: 2 });
    administrationId = gid("Administration", world.administrations[0]!.id);
    staff = await env.signIn(world.accountant.email);
    client = await env.signIn(world.clients[0]!.email);
    otherClient = await env.signIn(world.clients[1]!.email);
  });
  after(() => env.close());

  const record = (months: Array<{ month: string; revenue: string; costs: string }>) => staff.request(RecordFinancialFiguresDocument, { input: { administrationId, months } });
  const series = (who: PortalDeskClient, from: string, to: string, granularity: FiguresGranularity) =>
    who.request(FiguresDocument, { administrationId, from, to, granularity }).then((r) => r.administration.figures);

  it("gives months, quarters and years across a year boundary, with the year before, missing months as missing, and exact cents", async () => {
    // 2024-11 and 2026-02 are never recorded.
    const changed = unwrap(
      (
        await record([
          { month: "2024-12", revenue: "900.00", costs: "400.00" },
          { month: "2025-01", revenue: "1000.10", costs: "500.05" },
          { month: "2025-02", revenue: "1100", costs: "600" },
          { month: "2025-03", revenue: "1200.5", costs: "700.25" },
          { month: "2025-11", revenue: "0.10", costs: "0.20" },
          { month: "2025-12", revenue: "2000.20", costs: "2500" },
          { month: "2026-01", revenue: "1500.01", costs: "499.99" },
          { month: "2026-03", revenue: "1800", costs: "1900.50" },
        ])
      ).recordFinancialFigures,
    ).changedMonths;
    expect(changed).to.have.length(8);

    const months = await series(staff, "2025-11", "2026-03", FiguresGranularity.Month);
    expect(months.periods.map((p) => [p.label, p.revenue, p.costs, p.result, p.missingMonths])).to.deep.equal([
      ["2025-11", "0.10", "0.20", "-0.10", []],
      ["2025-12", "2000.20", "2500.00", "-499.80", []],
      ["2026-01", "1500.01", "499.99", "1000.02", []],
      ["2026-02", null, null, null, ["2026-02"]],
      ["2026-03", "1800.00", "1900.50", "-100.50", []],
    ]);
    expect(months.periods.map((p) => [p.previousYear.revenue, p.previousYear.missingMonths])).to.deep.equal([
      [null, ["2024-11"]],
      ["900.00", []],
      ["1000.10", []],
      ["1100.00", []],
      ["1200.50", []],
    ]);

    const quarters = await series(staff, "2025-11", "2026-03", FiguresGranularity.Quarter);
    expect(quarters.periods.map((p) => [p.label, p.from, p.to, p.revenue, p.costs, p.result, p.missingMonths])).to.deep.equal([
      ["2025-Q4", "2025-11", "2025-12", "2000.30", "2500.20", "-499.90", []],
      ["2026-Q1", "2026-01", "2026-03", "3300.01", "2400.49", "899.52", ["2026-02"]],
    ]);
    expect(quarters.periods[1]!.previousYear).to.deep.include({ revenue: "3300.60", costs: "1800.30", result: "1500.30", missingMonths: [] });

    const years = await series(staff, "2025-11", "2026-03", FiguresGranularity.Year);
    expect(years.periods.map((p) => [p.label, p.revenue, p.previousYear.revenue, p.previousYear.missingMonths])).to.deep.equal([
      ["2025", "2000.30", "900.00", ["2024-11"]],
      ["2026", "3300.01", "3300.60", []],
    ]);
    expect(years.totals).to.deep.include({ revenue: "5300.31", costs: "4900.69", result: "399.62", missingMonths: ["2026-02"] });
    expect(years.totals.previousYear).to.deep.include({ revenue: "4200.60", costs: "2200.30", result: "2000.30", missingMonths: ["2024-11"] });
  });

  it("keeps one value per month: a second push replaces it, a repeated push changes nothing, every change audited", async () => {
    const audits = async () => Number((await env.sql<{ n: string }>("SELECT count(*) AS n FROM audit_events WHERE action = 'figures.recorded'")).rows[0]!.n);
    const before = await audits();
    expect(unwrap((await record([{ month: "2026-01", revenue: "1600.00", costs: "499.99" }])).recordFinancialFigures).changedMonths).to.deep.equal(["2026-01"]);
    expect(unwrap((await record([{ month: "2026-01", revenue: "1600", costs: "499.99" }])).recordFinancialFigures).changedMonths).to.deep.equal([]);
    expect(await audits()).to.equal(before + 1);
    const { rows } = await env.sql("SELECT revenue::text, costs::text FROM financial_figures WHERE administration_id = $1 AND month = '2026-01-01'", [
      world.administrations[0]!.id,
    ]);
    expect(rows).to.deep.equal([{ revenue: "1600.00", costs: "499.99" }]);
    const { rows: detail } = await env.sql<{ details: { months: unknown[] } }>(
      "SELECT details FROM audit_events WHERE action = 'figures.recorded' ORDER BY occurred_at DESC LIMIT 1",
    );
    expect(detail[0]!.details.months).to.deep.equal([{ month: "2026-01", revenue: "1600.00", costs: "499.99", before: { revenue: "1500.01", costs: "499.99" } }]);
  });

  it("refuses malformed months and amounts, naming the field", async () => {
    // No month at all: the YearMonth scalar refuses it before the request runs, naming where.
    const malformed = await record([{ month: "2026-13", revenue: "1", costs: "1" }]).catch((e: unknown) => e);
    expect(malformed).to.be.instanceOf(BadUserInputError);
    expect((malformed as Error).message).to.contain('at "input.months[0].month"');
    // A month given twice: the server's userErrors entry names the second.
    const twice = await record([
      { month: "2026-04", revenue: "1", costs: "1" },
      { month: "2026-04", revenue: "2", costs: "2" },
    ]);
    expect(twice.recordFinancialFigures.userErrors.map((e) => e.field)).to.deep.equal([["input", "months", "1", "month"]]);
    expect(await record([{ month: "2026-05", revenue: "12.345", costs: "1" }]).catch((e: unknown) => e)).to.be.instanceOf(BadUserInputError);
    expect(await series(staff, "2026-03", "2025-01", FiguresGranularity.Month).catch((e: unknown) => e)).to.be.instanceOf(BadUserInputError);
    expect(
      await client.request(RecordFinancialFiguresDocument, { input: { administrationId, months: [{ month: "2026-06", revenue: "1", costs: "1" }] } }).catch((e: unknown) => e),
    ).to.be.instanceOf(ForbiddenError);
  });

  it("shows figures to clients only while the firm allows it, and never to another administration's clients", async () => {
    expect(await series(client, "2026-01", "2026-03", FiguresGranularity.Month).catch((e: unknown) => e)).to.be.instanceOf(NotFoundError);
    unwrap((await staff.request(SetFiguresVisibleDocument, { input: { administrationId, visible: true } })).setFiguresVisible);
    expect((await series(client, "2026-01", "2026-03", FiguresGranularity.Quarter)).periods[0]!.revenue).to.equal("3400.00");
    expect(await otherClient.request(FiguresDocument, { administrationId, from: "2026-01", to: "2026-03" }).catch((e: unknown) => e)).to.be.instanceOf(NotFoundError);
    // While visible, a push tells the clients.
    unwrap((await record([{ month: "2026-04", revenue: "10", costs: "5" }])).recordFinancialFigures);
    const { rows } = await env.sql("SELECT title FROM notifications WHERE kind = 'FIGURES_UPDATED' AND recipient_user_id = $1", [world.clients[0]!.id]);
    expect(rows).to.deep.equal([{ title: `Nieuwe cijfers voor ${world.administrations[0]!.name}` }]);
    unwrap((await staff.request(SetFiguresVisibleDocument, { input: { administrationId, visible: false } })).setFiguresVisible);
    expect(await series(client, "2026-01", "2026-03", FiguresGranularity.Month).catch((e: unknown) => e)).to.be.instanceOf(NotFoundError);
  });
});

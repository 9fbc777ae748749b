import { ArchiveRootDocument, FiguresDocument, FiguresGranularity, FilingsDocument, FilingStatus, FolderAccess, ReportsDocument, ViewerDocument } from "@portaldesk/sdk";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { expect } from "chai";
import { parse } from "graphql";
import { readmeExample } from "../sdk/examples/readme-example.js";
import { seedDemoData } from "../src/scripts/demo-data.js";
import { TestEnv } from "./support/harness.js";

describe("README example", () => {
  let env: TestEnv;
  before(async () => {
    env = await TestEnv.create();
  });
  after(() => env.close());

  it("signs in as the demo client and lists its administration through the SDK", async () => {
    const seeded = await seedDemoData(env.server.services, "demo password 123");
    expect(seeded.created).to.equal(true);
    expect(seeded.generatedPassword).to.equal(null);
    const names = await readmeExample(`${env.server.url}/graphql`, "client@demo.test", "demo password 123");
    expect(names).to.deep.equal(["Bakkerij De Demo B.V."]);
    // The demo client can open the demo archive and add to it.
    const client = await env.signIn("client@demo.test", "demo password 123");
    const { viewer } = await client.request(ViewerDocument);
    const { administration } = await client.request(ArchiveRootDocument, { administrationId: viewer.memberships[0]!.administration.id });
    expect(administration.archive?.viewerAccess).to.equal(FolderAccess.Contribute);
    expect(administration.archive?.children.map((c) => c.name)).to.deep.equal(["Contracten", "Jaarrekeningen", "Vastgoed", "Verzekeringen"]);
    // … and has last quarter's VAT return and ICP declaration to approve, which agree with each other.
    const filings = (await client.request(FilingsDocument, { administrationId: administration.id })).administration.filings.nodes;
    expect(filings.map((f) => [f.__typename, f.status, f.viewerCanDecide])).to.have.deep.members([
      ["VatReturn", FilingStatus.AwaitingApproval, true],
      ["IcpDeclaration", FilingStatus.AwaitingApproval, true],
    ]);
    expect(filings.flatMap((f) => f.warnings)).to.deep.equal([]);
    // … figures to look at (18 months) and a published report.
    const { administration: withReports } = await client.request(ReportsDocument, { administrationId: administration.id });
    expect(withReports.reports.nodes.map((r) => [r.title, r.published])).to.deep.equal([["Winst-en-verliesrekening laatste 12 maanden", true]]);
    const lastMonth = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
    const firstMonth = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 12, 1)).toISOString().slice(0, 7);
    const { administration: withFigures } = await client.request(FiguresDocument, {
      administrationId: administration.id,
      from: firstMonth,
      to: lastMonth,
      granularity: FiguresGranularity.Quarter,
    });
    expect(withFigures.figures.totals.missingMonths).to.deep.equal([]);
    expect(Number(withFigures.figures.totals.revenue)).to.be.greaterThan(0);
    // Fields that depend on who asks resolve as the new session inside signIn's own payload too.
    const signedIn = await env.client().request(
      parse(`mutation { signIn(input: { email: "client@demo.test", password: "demo password 123" }) {
        viewer { memberships { administration { archive { children { name } } } } } } }`) as TypedDocumentNode<{
        signIn: { viewer: { memberships: Array<{ administration: { archive: { children: Array<{ name: string }> } | null } }> } };
      }>,
    );
    expect(signedIn.signIn.viewer.memberships[0]!.administration.archive?.children).to.have.length(4);
  });

  it("seeds only once", async () => {
    const again = await seedDemoData(env.server.services, null);
    expect(again.created).to.equal(false);
  });
});

// Scans and photos read by OCR in the background, page by page: found through search by a word on
// them, for clients and staff within the access rules, a sideways photo too; pages with a text
// layer are taken as they are; progress counts pages.
import { DocumentDocument, ProcessingState, SearchDocument, UploadDocumentsDocument, upload, unwrap, type PortalDeskClient } from "@portaldesk/sdk";
import { expect } from "chai";
import { mergedPdf, photoOf, scannedPdf, textPdf } from "./support/scan-fixtures.js";
import { eventually, gid, TestEnv, uuidOf, type World } from "./support/harness.js";

describe("OCR of scans and photos", () => {
  let env: TestEnv;
  let world: World;
  let client: PortalDeskClient;
  let staff: PortalDeskClient;
  let stranger: PortalDeskClient;
  const administrationId = (i: number) => gid("Administration", world.administrations[i]!.id);

  before(async () => {
    env = await TestEnv.create();
    world = await env.createWorld({ administrations: 2 });
    client = await env.signIn(world.clients[0]!.email);
    staff = await env.signIn(world.accountant.email);
    stranger = await env.signIn(world.clients[1]!.email);
  });
  after(() => env.close());

  async function uploadFile(content: Buffer, filename: string): Promise<string> {
    const result = unwrap(
      (await client.request(UploadDocumentsDocument, { input: { administrationId: administrationId(0), files: [upload(content, { filename })] } })).uploadDocuments,
    );
    return result.documents[0]!.id;
  }

  async function processed(id: string) {
    return eventually(async () => {
      const { node } = await client.request(DocumentDocument, { id });
      return node && "processing" in node && node.processing?.state === ProcessingState.Done ? node.processing : null;
    }, 90_000);
  }

  const found = async (as: PortalDeskClient, query: string, administration = administrationId(0)) =>
    (await as.request(SearchDocument, { input: { administrationId: administration, query } })).search.nodes.map((n) => n.document.id);

  it("finds a photographed receipt, a sideways photo and a scanned invoice by a word on them, for client and staff only", async () => {
    const receipt = await textPdf([["Kaasboerderij De Zuivelhoeve", "Jonge kaas 1 kg   12,95", "TOTAAL   12,95", "BTW 9%   1,07", "PIN"]], 16);
    const invoice = await textPdf([["Loodgietersbedrijf Waterdicht B.V.", "Factuur 2026-118", "Reparatie cv-ketel", "Totaal incl. btw  € 254,10"]], 14);
    const photoId = await uploadFile(await photoOf(receipt), "bon.jpg");
    const sidewaysId = await uploadFile(await photoOf(await textPdf([["Fietsenmakerij Het Spaakwiel", "Nieuwe binnenband 8,50"]], 18), 90), "foto.jpg");
    const scanId = await uploadFile(await scannedPdf(invoice), "scan.pdf");

    for (const id of [photoId, sidewaysId, scanId]) expect(await processed(id)).to.include({ pagesDone: 1, pagesTotal: 1, problem: null });
    for (const [word, id] of [
      ["Zuivelhoeve", photoId],
      ["Spaakwiel", sidewaysId],
      ["Loodgietersbedrijf", scanId],
    ] as const) {
      expect(await found(client, word), `client finds ${word}`).to.deep.equal([id]);
      expect(await found(staff, word), `staff find ${word}`).to.deep.equal([id]);
      expect(await found(stranger, word, administrationId(1)), `another administration's client does not find ${word}`).to.deep.equal([]);
    }
    await stranger.request(SearchDocument, { input: { administrationId: administrationId(0), query: "Zuivelhoeve" } }).then(
      () => expect.fail("a client of another administration searched this one"),
      (error: Error) => expect(error.message).to.match(/not found|geen toegang|niet gevonden/i),
    );
    // The sideways photo was turned upright to be read; the scan had no text layer.
    const pages = await env.sql<{ document_id: string; source: string; rotation: number }>("SELECT document_id, source, rotation FROM document_pages WHERE document_id = ANY($1)", [
      [photoId, sidewaysId, scanId].map(uuidOf),
    ]);
    expect(pages.rows).to.have.length(3);
    expect(pages.rows.every((p) => p.source === "OCR")).to.equal(true);
    expect(pages.rows.map((p) => p.rotation).sort()).to.deep.equal([0, 0, 270]);
  });

  it("takes a page's text layer as it is and OCRs only the scanned pages, counting them", async () => {
    const born = await textPdf([["Huurovereenkomst bedrijfsruimte", "Artikel 1"]]);
    const scanned = await scannedPdf(await textPdf([["Bijlage plattegrond magazijn", "Begane grond"]], 16));
    // One PDF: a page with a text layer, then a scanned page.
    const id = await uploadFile(await mergedPdf([born, scanned]), "huur.pdf");
    expect(await processed(id)).to.include({ pagesDone: 2, pagesTotal: 2 });
    const pages = await env.sql<{ page_number: number; source: string }>(
      "SELECT page_number, source FROM document_pages WHERE document_id = (SELECT id FROM documents WHERE filename = 'huur.pdf') ORDER BY page_number",
    );
    expect(pages.rows).to.deep.equal([
      { page_number: 1, source: "TEXT" },
      { page_number: 2, source: "OCR" },
    ]);
    expect(await found(client, "Huurovereenkomst")).to.deep.equal([id]);
    expect(await found(client, "plattegrond")).to.deep.equal([id]);
  });
});

import {
  ArchiveRootDocument,
  CreateArchiveFolderDocument,
  CreateVatReturnDocument,
  PublishReportDocument,
  RecordFinancialFiguresDocument,
  ReportKind,
  SetFiguresVisibleDocument,
  TrayKind,
  FolderAccess,
  SetArchiveFolderAccessDocument,
  unwrap,
  upload,
  UploadDocumentsDocument,
  type PortalDeskClient,
} from "@portaldesk/sdk";
import { expect } from "chai";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Browser, ElementHandle, Page } from "puppeteer-core";
import { dragOnto, dropFiles, languagePage, launchBrowser, screenshot, screenshots, signInThroughPage, textOf, waitForText } from "./support/browser.js";
import { jpegBytes, pdfBytes } from "./support/files.js";
import { eventually, gid, PASSWORD, TestEnv, type World } from "./support/harness.js";

describe("the web portal in a real browser", function () {
  this.timeout(60_000);
  let env: TestEnv;
  let world: World;
  let browser: Browser;
  let staff: PortalDeskClient;
  let administrationId: string;
  let files: string;

  before(async () => {
    env = await TestEnv.create();
    world = await env.createWorld({ administrations: 1 });
    administrationId = gid("Administration", world.administrations[0]!.id);
    // Its VAT number, which preflight needs before approval of a return can be asked.
    await env.sql("UPDATE administrations SET vat_number = 'NL123456782B01' WHERE id = $1", [world.administrations[0]!.id]);
    staff = await env.signIn(world.accountant.email);
    // An archive the clients may file into, with a folder "Contracten".
    const root = (await staff.request(ArchiveRootDocument, { administrationId })).administration.archive!.id;
    unwrap((await staff.request(SetArchiveFolderAccessDocument, { input: { folderId: root, allClients: true, access: FolderAccess.Contribute } })).setArchiveFolderAccess);
    unwrap((await staff.request(CreateArchiveFolderDocument, { input: { parentId: root, name: "Contracten" } })).createArchiveFolder);
    files = await fs.mkdtemp(path.join(os.tmpdir(), "portaldesk-drop-"));
    await fs.writeFile(path.join(files, "factuur-bakker.pdf"), await pdfBytes(1, "Factuur bakker"));
    await fs.writeFile(path.join(files, "factuur-molen.pdf"), await pdfBytes(2, "Factuur molen"));
    await fs.writeFile(path.join(files, "huurcontract.jpg"), await jpegBytes());
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await env.close();
    await fs.rm(files, { recursive: true, force: true });
  });

  const cards = (page: Page) => page.$$eval('[data-testid="card"]', (els) => els.map((e) => e.getAttribute("data-filename")));
  const card = async (page: Page, filename: string) => (await page.$(`[data-testid="card"][data-filename="${filename}"]`)) as ElementHandle<Element>;

  it("lets a client drop files on the desk, see them upload, drag them into trays and a folder, while the accountant follows live and returns one", async () => {
    const client = await (await browser.createBrowserContext()).newPage();
    await client.setViewport({ width: 1280, height: 900 });
    await signInThroughPage(client, env.server.url, world.clients[0]!.email, PASSWORD);
    await client.waitForSelector('[data-testid="desk"]');
    await client.waitForSelector(".done"); // the empty desk says so

    const accountant = await (await browser.createBrowserContext()).newPage();
    await accountant.setViewport({ width: 1280, height: 900 });
    await signInThroughPage(accountant, env.server.url, world.accountant.email, PASSWORD);
    await (await accountant.waitForSelector('[data-testid="administration"]'))!.click();
    await accountant.waitForSelector("#queue-title");

    // A real drop of three files from the computer onto the desk.
    const desk = (await client.$('[data-testid="desk"]'))!;
    await dropFiles(
      client,
      desk,
      ["factuur-bakker.pdf", "factuur-molen.pdf", "huurcontract.jpg"].map((f) => path.join(files, f)),
    );
    await client.waitForFunction(() => document.querySelectorAll('[data-testid="upload"] progress').length === 3 || document.querySelectorAll('[data-testid="card"]').length === 3);
    await client.waitForFunction(
      () =>
        Array.from(document.querySelectorAll('[data-testid="upload"] progress')).every((p) => p.getAttribute("data-percent") === "100") &&
        document.querySelectorAll('[data-testid="card"]').length === 3,
    );
    expect((await cards(client)).sort()).to.deep.equal(["factuur-bakker.pdf", "factuur-molen.pdf", "huurcontract.jpg"]);
    await screenshot(client, "desk");

    // Two cards onto the purchase tray (selected together, dragged as one), the third into the folder.
    await (await card(client, "factuur-bakker.pdf")).$eval('input[type="checkbox"]', (e) => (e as HTMLInputElement).click());
    await (await card(client, "factuur-molen.pdf")).$eval('input[type="checkbox"]', (e) => (e as HTMLInputElement).click());
    const purchase = (await client.$('[data-testid="tray-PURCHASE"]'))!;
    await dragOnto(client, await card(client, "factuur-bakker.pdf"), purchase);
    await client.waitForFunction(() => document.querySelectorAll('[data-testid="card"]').length === 1);
    const folder = (await client.$('[data-testid="folder-Contracten"]'))!;
    await dragOnto(client, await card(client, "huurcontract.jpg"), folder);
    await client.waitForSelector(".done");
    await screenshot(client, "trays");

    // The accountant saw the purchases arrive without reloading, and returns one with a reason.
    await accountant.waitForFunction(() => document.querySelectorAll('[data-testid="queue-row"]').length === 2);
    await screenshot(accountant, "work-queue");
    const row = (await accountant.$('[data-testid="queue-row"][data-filename="factuur-molen.pdf"]'))!;
    await (await row.$('[data-testid="return-to-client"]'))!.click();
    await accountant.type('[data-testid="queue-row"][data-filename="factuur-molen.pdf"] input[name="reason"]', "Onleesbaar, graag opnieuw scannen");
    await accountant.click('[data-testid="queue-row"][data-filename="factuur-molen.pdf"] button[type="submit"]');
    await accountant.waitForFunction(() => document.querySelectorAll('[data-testid="queue-row"]').length === 1);

    // The client sees it back on the desk, with the reason.
    await client.waitForFunction(() => document.querySelector('[data-testid="card"][data-filename="factuur-molen.pdf"] .returned')?.textContent?.includes("Onleesbaar"));
    await screenshot(client, "returned");
  });

  it("lets a client file a document into a tray with the keyboard alone", async () => {
    const clientApi = await env.signIn(world.clients[0]!.email);
    unwrap(
      (await clientApi.request(UploadDocumentsDocument, { input: { administrationId, files: [upload(await pdfBytes(1), { filename: "toetsenbord.pdf" })] } })).uploadDocuments,
    );
    const page = await (await browser.createBrowserContext()).newPage();
    await signInThroughPage(page, env.server.url, world.clients[0]!.email, PASSWORD);
    await page.waitForSelector('[data-testid="card"][data-filename="toetsenbord.pdf"]');
    const focused = () =>
      page.evaluate(
        () => `${document.activeElement?.tagName}:${document.activeElement?.getAttribute("data-testid") ?? (document.activeElement as HTMLInputElement | null)?.type ?? ""}`,
      );
    // Tab to the destination, choose Sales, Tab on to the document's checkbox and tick it.
    for (let i = 0; i < 30 && (await focused()) !== "SELECT:destination"; i++) await page.keyboard.press("Tab");
    expect(await focused()).to.equal("SELECT:destination");
    await page.keyboard.press("ArrowDown");
    for (let i = 0; i < 30 && !(await page.evaluate(() => document.activeElement?.closest('[data-testid="card"]')?.getAttribute("data-filename") === "toetsenbord.pdf")); i++) {
      await page.keyboard.press("Tab");
    }
    await page.keyboard.press("Space");
    // Back to the File button, now enabled, and press it.
    await page.keyboard.down("Shift");
    for (
      let i = 0;
      i < 30 &&
      !(await page.evaluate(
        () => document.activeElement?.tagName === "BUTTON" && !(document.activeElement as HTMLButtonElement).disabled && document.activeElement.closest(".toolbar") !== null,
      ));
      i++
    ) {
      await page.keyboard.press("Tab");
    }
    await page.keyboard.up("Shift");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => !document.querySelector('[data-testid="card"][data-filename="toetsenbord.pdf"]'));
    const { rows } = await env.sql("SELECT tray FROM documents WHERE filename = 'toetsenbord.pdf'");
    expect(rows).to.deep.equal([{ tray: "SALES" }]);
  });

  it("lets the accountant ask approval of a VAT return; the client is told live, approves with a note; the accountant sees it and the history", async () => {
    const vat = unwrap(
      (
        await staff.request(CreateVatReturnDocument, {
          input: { administrationId, period: { year: 2026, quarter: 3 }, boxes: { box1a: { turnover: 84250, vat: 17693 }, box5b: 9000 } },
        })
      ).createVatReturn,
    ).vatReturn!;
    const accountant = await (await browser.createBrowserContext()).newPage();
    await accountant.setViewport({ width: 1280, height: 900 });
    // A link to the filing (as in a mail) opens it straight after signing in.
    await signInThroughPage(accountant, `${env.server.url}/#/filings/${vat.id}`, world.accountant.email, PASSWORD);
    await accountant.waitForSelector('[data-testid="filing-status"][data-status="DRAFT"]');

    const client = await (await browser.createBrowserContext()).newPage();
    await client.setViewport({ width: 1280, height: 900 });
    await signInThroughPage(client, env.server.url, world.clients[0]!.email, PASSWORD);
    await client.waitForSelector('[data-testid="tab-notifications"]');
    const unreadBefore = await client.$eval('[data-testid="tab-notifications"]', (e) => e.textContent);

    await accountant.click('[data-testid="request-approval"]');
    await accountant.waitForSelector('[data-testid="filing-status"][data-status="AWAITING_APPROVAL"]');
    // The client's unread count goes up without a reload; the notification leads to the filing.
    await client.waitForFunction((before) => document.querySelector('[data-testid="tab-notifications"]')?.textContent !== before, {}, unreadBefore);
    await client.click('[data-testid="tab-notifications"]');
    await (await client.waitForSelector('[data-testid="notification"] button'))!.click();
    await client.waitForSelector('[data-testid="approve"]');
    expect(await client.$eval('[data-testid="filing-view"]', (e) => e.textContent)).to.match(/17[.,]693/);
    await client.type('textarea[name="note"]', "Akkoord, dank je");
    await screenshot(client, "filing-approval");
    await client.click('[data-testid="approve"]');
    await client.waitForSelector('[data-testid="filing-status"][data-status="APPROVED"]');

    await accountant.waitForSelector('[data-testid="filing-status"][data-status="APPROVED"]');
    await accountant.waitForSelector('[data-testid="history"] li[data-action="filing.approved"]');
    expect(await accountant.$eval('[data-testid="history"] li[data-action="filing.approved"]', (e) => e.textContent)).to.include("Akkoord, dank je");
    await screenshot(accountant, "filing-history");
  });

  it("shows the accountant what keeps a VAT return from being filed, takes the reason for a box 3b / ICP difference, and shows the client that reason", async () => {
    const vat = unwrap(
      (
        await staff.request(CreateVatReturnDocument, {
          input: { administrationId, period: { year: 2026, month: 11 }, boxes: { box1a: { turnover: 1000, vat: 210 }, box3b: 2500 } },
        })
      ).createVatReturn,
    ).vatReturn!;
    const accountant = await (await browser.createBrowserContext()).newPage();
    await accountant.setViewport({ width: 1280, height: 900 });
    await signInThroughPage(accountant, `${env.server.url}/#/filings/${vat.id}`, world.accountant.email, PASSWORD);
    await accountant.waitForSelector('[data-testid="preflight"] li[data-code="ICP_MISMATCH"]');
    expect(await accountant.$eval('[data-testid="preflight"]', (e) => e.textContent))
      .to.include("Not ready to file")
      .and.include("Box 3b (€2500)");
    // Asking approval now is refused with the same reason.
    await accountant.click('[data-testid="request-approval"]');
    await accountant.waitForFunction(() => document.querySelector('[role="alert"]')?.textContent?.includes("Box 3b (€2500)"));
    await accountant.type('textarea[name="icp-difference-reason"]', "Levering aan Belgische klant staat op de opgaaf van december");
    await screenshots(accountant, "filing-preflight-en");
    await accountant.click('[data-testid="preflight"] button[type="submit"]');
    await accountant.waitForFunction(() => !document.querySelector('[data-testid="preflight"]'));
    await accountant.waitForSelector('[data-testid="icp-difference-reason"]');
    await accountant.click('[data-testid="request-approval"]');
    await accountant.waitForSelector('[data-testid="filing-status"][data-status="AWAITING_APPROVAL"]');

    const client = await (await browser.createBrowserContext()).newPage();
    await client.setViewport({ width: 1280, height: 900 });
    await signInThroughPage(client, `${env.server.url}/#/filings/${vat.id}`, world.clients[0]!.email, PASSWORD);
    await client.waitForSelector('[data-testid="approve"]');
    expect(await client.$eval('[data-testid="icp-difference-reason"]', (e) => e.textContent)).to.equal(
      "Why box 3b differs from the ICP declaration: Levering aan Belgische klant staat op de opgaaf van december",
    );
    expect(await client.$('[data-testid="preflight"]')).to.equal(null);
  });

  it("never shows a client a folder the firm did not open to them, in the tree or in search", async () => {
    const root = (await staff.request(ArchiveRootDocument, { administrationId })).administration.archive!.id;
    const hidden = unwrap((await staff.request(CreateArchiveFolderDocument, { input: { parentId: root, name: "Salarissen" } })).createArchiveFolder).folder!.id;
    unwrap((await staff.request(SetArchiveFolderAccessDocument, { input: { folderId: hidden, allClients: true, access: FolderAccess.None } })).setArchiveFolderAccess);
    const contracts = (await staff.request(ArchiveRootDocument, { administrationId })).administration.archive!.children.find((c) => c.name === "Contracten")!.id;
    for (const [folderId, name] of [
      [hidden, "loonstrook-geheim.pdf"],
      [contracts, "loonafspraak-contract.pdf"],
    ] as const) {
      unwrap(
        (
          await staff.request(UploadDocumentsDocument, {
            input: { administrationId, tray: TrayKind.Archive, folderId, files: [upload(await pdfBytes(1, "loon"), { filename: name })] },
          })
        ).uploadDocuments,
      );
    }
    const page = await (await browser.createBrowserContext()).newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await signInThroughPage(page, `${env.server.url}/#/archive`, world.clients[0]!.email, PASSWORD);
    await page.waitForSelector('[data-testid="folder-view"]');
    const folders = await page.$$eval('[data-testid="subfolder"]', (els) => els.map((e) => e.textContent ?? ""));
    expect(folders.some((f) => f.includes("Contracten"))).to.equal(true);
    expect(folders.some((f) => f.includes("Salarissen"))).to.equal(false);
    await page.type('[data-testid="search"]', "loon");
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-testid="hits"]');
    const hits = await page.$$eval('[data-testid="hit"]', (els) => els.map((e) => e.textContent ?? ""));
    expect(hits.some((h) => h.includes("loonafspraak-contract.pdf"))).to.equal(true);
    expect(hits.some((h) => h.includes("geheim") || h.includes("Salarissen"))).to.equal(false);
    // Straight into a folder the client may contribute to.
    const subfolders = await page.$$('[data-testid="subfolder"]');
    for (const button of subfolders) if ((await button.evaluate((e) => e.textContent ?? "")).includes("Contracten")) await button.click();
    const input = (await page.waitForSelector('[data-testid="folder-upload"]')) as ElementHandle<HTMLInputElement>;
    const scan = path.join(files, "huurcontract-2027.pdf");
    await fs.writeFile(scan, await pdfBytes(1, "Huur"));
    await input.uploadFile(scan);
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.folder-docs [data-testid="open-document"]')).some((a) => a.textContent === "huurcontract-2027.pdf"));
    await screenshot(page, "archive");
  });

  it("draws revenue, costs and result with last year beside them", async () => {
    const now = new Date();
    const months = Array.from({ length: 24 }, (_, i) => {
      const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 24 + i, 1)).toISOString().slice(0, 7);
      return { month, revenue: String(30000 + i * 500), costs: String(24000 + (i % 6) * 700) };
    });
    unwrap((await staff.request(RecordFinancialFiguresDocument, { input: { administrationId, months } })).recordFinancialFigures);
    unwrap((await staff.request(SetFiguresVisibleDocument, { input: { administrationId, visible: true } })).setFiguresVisible);
    const page = await languagePage(browser, "nl");
    await signInThroughPage(page, `${env.server.url}/#/figures`, world.clients[0]!.email, PASSWORD);
    await page.waitForSelector('[data-testid="chart"] rect');
    expect(await page.$$eval('[data-testid="chart"] rect.revenue:not(.last-year)', (els) => els.length)).to.equal(12);
    expect(await page.$$eval('[data-testid="chart"] rect.last-year', (els) => els.length)).to.equal(12);
    expect(await page.$$eval('[data-testid="chart"] circle.result', (els) => els.length)).to.equal(12);
    // A legend, a scale in euros and months in words, in Dutch.
    expect(await textOf(page, '[data-testid="chart-legend"]'))
      .to.contain("Omzet")
      .and.contain("Kosten")
      .and.contain("Resultaat")
      .and.contain("vorig jaar");
    const scale = await page.$$eval('[data-testid="chart"] .tick text', (els) => els.map((e) => e.textContent ?? ""));
    expect(scale.length).to.be.within(3, 8);
    expect(scale.filter((label) => /^€\s0$/.test(label))).to.have.length(1);
    for (const label of scale) expect(label).to.match(/^€\s-?[\d.]+$/);
    // The last month shown is last month; its revenue bar says its value on keyboard focus.
    const last = months[months.length - 1]!;
    const lastMonth = new Intl.DateTimeFormat("nl-NL", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${last.month}-01T00:00:00Z`));
    const revenueBars = await page.$$('[data-testid="chart"] rect.revenue:not(.last-year)');
    await revenueBars[revenueBars.length - 1]!.evaluate((bar) => (bar as SVGElement).focus());
    await waitForText(page, '[data-testid="chart-value"]', `${lastMonth}, Omzet:`);
    expect(Number(last.revenue)).to.equal(41500);
    expect(await textOf(page, '[data-testid="chart-value"]')).to.match(/, Omzet: €\s41\.500,00$/);
    // The table in Dutch: months in words, amounts as "€ 41.500,00".
    const lastRow = await page.$$eval("table.figures tbody tr", (rows) => rows[rows.length - 1]!.textContent ?? "");
    expect(lastRow)
      .to.contain(lastMonth)
      .and.match(/€\s41\.500,00/);
    await screenshots(page, "charts-nl");
  });

  it("gives the accountant the administration's panels: publish a report for later, show the figures, set folder access, prepare a VAT return", async () => {
    const page = await (await browser.createBrowserContext()).newPage();
    await page.setViewport({ width: 1280, height: 1000 });
    await signInThroughPage(page, env.server.url, world.accountant.email, PASSWORD);
    await (await page.waitForSelector('[data-testid="administration"]'))!.click();
    await page.waitForSelector('[data-testid="publish-report"]');

    // A report for tomorrow: the firm sees it scheduled, the client not yet.
    const pdf = path.join(files, "balans.pdf");
    await fs.writeFile(pdf, await pdfBytes(1, "Balans"));
    const form = '[data-testid="publish-report"]';
    await page.type(`${form} input[name="title"]`, "Balans 2026");
    await page.select(`${form} select[name="kind"]`, "BALANCE_SHEET");
    await page.$eval(`${form} input[name="periodStart"]`, (e) => ((e as HTMLInputElement).value = "2026-01-01"));
    await page.$eval(`${form} input[name="periodEnd"]`, (e) => ((e as HTMLInputElement).value = "2026-06-30"));
    const tomorrow = new Date(Date.now() + 86_400_000);
    const local = new Date(tomorrow.getTime() - tomorrow.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await page.$eval(`${form} input[name="publishAt"]`, (e, v) => ((e as HTMLInputElement).value = v as string), local);
    await ((await page.$(`${form} input[name="file"]`)) as ElementHandle<HTMLInputElement>).uploadFile(pdf);
    await page.click(`${form} button[type="submit"]`);
    await page.waitForFunction(() => Array.from(document.querySelectorAll('[data-testid="staff-report"]')).some((e) => e.textContent?.includes("Balans 2026")));
    const { rows: reports } = await env.sql<{ title: string; scheduled: boolean }>("SELECT title, publish_at > now() AS scheduled FROM reports WHERE title = 'Balans 2026'");
    expect(reports).to.deep.equal([{ title: "Balans 2026", scheduled: true }]);

    // Figures hidden, then shown.
    await page.click('[data-testid="figures-visible"]');
    await eventually(async () => (await env.sql("SELECT 1 FROM administrations WHERE id = $1 AND NOT figures_visible", [world.administrations[0]!.id])).rows.length === 1);
    expect(await page.$eval('[data-testid="figures-visible"]', (e) => (e as HTMLInputElement).checked)).to.equal(false);

    // A new VAT return from the form opens as a draft.
    await page.click("details summary");
    await page.type('input[name="quarter"]', "2");
    await page.type('input[name="1a-turnover"]', "1000");
    await page.type('input[name="1a-vat"]', "210");
    await screenshot(page, "accountant-administration");
    await page.click('details form button[type="submit"]');
    await page.waitForSelector('[data-testid="filing-status"][data-status="DRAFT"]');
    expect(await page.$eval('[data-testid="filing-view"]', (e) => e.textContent)).to.include("210");
  });

  it("splits a document with page images, turns part of it, and merges documents again", async () => {
    const clientApi = await env.signIn(world.clients[0]!.email);
    unwrap(
      (await clientApi.request(UploadDocumentsDocument, { input: { administrationId, files: [upload(await pdfBytes(3, "Blad"), { filename: "drie-paginas.pdf" })] } }))
        .uploadDocuments,
    );
    const page = await (await browser.createBrowserContext()).newPage();
    await page.setViewport({ width: 1280, height: 1100 });
    await signInThroughPage(page, env.server.url, world.clients[0]!.email, PASSWORD);
    const card = await page.waitForSelector('[data-testid="card"][data-filename="drie-paginas.pdf"]');
    await (await card!.$('[data-testid="edit-pages"]'))!.click();
    await page.waitForSelector('[data-testid="page-editor"]');
    // Every page is shown as an image rendered by the server.
    await page.waitForFunction(() => {
      const images = Array.from(document.querySelectorAll<HTMLImageElement>('[data-testid="page"] img'));
      return images.length === 3 && images.every((img) => img.complete && img.naturalWidth > 0);
    });
    // A page link names its page in the signature: another page needs another link.
    const first = await page.$eval('[data-testid="page"] img', (img) => (img as HTMLImageElement).src);
    expect((await fetch(first)).headers.get("content-type")).to.equal("image/png");
    expect((await fetch(first.replace(/([?&])n=1(&|$)/, "$1n=2$2"))).status).to.equal(403);
    const splits = await page.$$('[data-testid="split"]');
    await splits[1]!.click(); // a new document from page 3
    const rotations = await page.$$('[data-testid="rotate"]');
    expect(rotations).to.have.length(2);
    await rotations[1]!.select("90");
    await screenshot(page, "page-editor");
    await page.click('[data-testid="save-pages"]');
    await page.waitForFunction(() => !document.querySelector('[data-testid="card"][data-filename="drie-paginas.pdf"]'));
    const parts = await eventually(async () => {
      const { rows } = await env.sql<{ id: string; page_count: number }>(
        "SELECT id, page_count FROM documents WHERE $1 = ANY(derived_from_ids) AND replaced_at IS NULL ORDER BY page_count DESC",
        [
          (await env.sql<{ id: string }>("SELECT id FROM documents WHERE filename = 'drie-paginas.pdf' AND replaced_at IS NOT NULL")).rows[0]?.id ??
            "00000000-0000-0000-0000-000000000000",
        ],
      );
      return rows.length === 2 ? rows : null;
    });
    expect(parts.map((p) => p.page_count)).to.deep.equal([2, 1]);

    // Both parts selected and merged back into one document of three pages.
    const partNames = (await env.sql<{ filename: string }>("SELECT filename FROM documents WHERE id = ANY($1)", [parts.map((p) => p.id)])).rows.map((r) => r.filename);
    await page.waitForFunction((wanted) => wanted.every((name) => document.querySelector(`[data-testid="card"][data-filename="${CSS.escape(name)}"]`)), {}, partNames);
    for (const name of partNames) {
      await (await page.$(`[data-testid="card"][data-filename="${name.replace(/"/g, '\\"')}"] input[type="checkbox"]`))!.click();
    }
    await page.click('[data-testid="merge"]');
    await eventually(
      async () =>
        (await env.sql("SELECT 1 FROM documents WHERE page_count = 3 AND replaced_at IS NULL AND removed_at IS NULL AND cardinality(derived_from_ids) = 2")).rows.length === 1,
    );
  });

  it("lets the accountant prepare an ICP declaration, refusing a malformed line with the reason", async () => {
    const page = await (await browser.createBrowserContext()).newPage();
    await page.setViewport({ width: 1280, height: 1000 });
    await signInThroughPage(page, env.server.url, world.accountant.email, PASSWORD);
    await (await page.waitForSelector('[data-testid="administration"]'))!.click();
    const form = (await page.waitForSelector('[data-testid="new-icp"]'))!;
    await form.evaluate((f) => ((f.parentElement as HTMLDetailsElement).open = true));
    await page.type('[data-testid="new-icp"] input[name="quarter"]', "1");
    await page.type('[data-testid="new-icp"] input[name="country-0"]', "NL");
    await page.type('[data-testid="new-icp"] input[name="vat-0"]', "NL123456782B01");
    await page.type('[data-testid="new-icp"] input[name="goods-0"]', "500");
    await page.click('[data-testid="new-icp"] button[type="submit"]');
    expect(await (await page.waitForSelector('[data-testid="new-icp"] [role="alert"]'))!.evaluate((e) => e.textContent)).to.match(/Dutch customer/);
    await page.$eval('[data-testid="new-icp"] input[name="country-0"]', (e) => ((e as HTMLInputElement).value = ""));
    await page.$eval('[data-testid="new-icp"] input[name="vat-0"]', (e) => ((e as HTMLInputElement).value = ""));
    await page.type('[data-testid="new-icp"] input[name="country-0"]', "DE");
    await page.type('[data-testid="new-icp"] input[name="vat-0"]', "DE136695976");
    await page.click('[data-testid="new-icp"] button[type="submit"]');
    await page.waitForSelector('[data-testid="filing-status"][data-status="DRAFT"]');
    expect(await page.$eval('[data-testid="filing-view"]', (e) => e.textContent)).to.include("DE136695976");
  });

  it("shows a report to a client the moment the firm publishes it, without a reload", async () => {
    const page = await languagePage(browser, "nl");
    await signInThroughPage(page, `${env.server.url}/#/reports`, world.clients[0]!.email, PASSWORD);
    await page.waitForSelector("#reports-title");
    await new Promise((r) => setTimeout(r, 500)); // the live subscription connects
    unwrap(
      (
        await staff.request(PublishReportDocument, {
          input: {
            administrationId,
            file: upload(await pdfBytes(1, "Debiteuren"), { filename: "debiteuren.pdf" }),
            title: "Openstaande debiteuren",
            kind: ReportKind.OpenReceivables,
            periodStart: "2026-01-01",
            periodEnd: "2026-03-31",
          },
        })
      ).publishReport,
    );
    await page.waitForFunction(() => Array.from(document.querySelectorAll('[data-testid="report"]')).some((e) => e.textContent?.includes("Openstaande debiteuren")), {
      timeout: 15_000,
    });
    const marker = await page.$$eval('[data-testid="report"]', (els) => els.find((e) => e.textContent?.includes("Openstaande debiteuren"))?.className);
    expect(marker, "shown as unread").to.equal("unread");
    const entry = async () =>
      (await page.$$eval(
        '[data-testid="report"]',
        (els) => els.find((e) => e.textContent?.includes("debiteuren.pdf") || e.textContent?.includes("Openstaande debiteuren"))?.textContent,
      )) ?? "";
    // Its kind and period in words.
    expect(await entry()).to.match(/Openstaande debiteuren, 1 jan\.? 2026 – 31 mrt\.? 2026/);
    // Opened: a fresh link, fetched at the click, opens in a new tab, and it reads as read.
    // (What the page opens is recorded rather than opened: a headless browser has no tabs to show.)
    await page.evaluate(() => {
      const opened: string[] = [];
      (window as unknown as { opened: string[] }).opened = opened;
      window.open = (url) => (opened.push(String(url)), null);
    });
    await page.click('[data-testid="report"] button');
    await page.waitForFunction(() => (window as unknown as { opened: string[] }).opened.length === 1);
    const opened = await page.evaluate(() => (window as unknown as { opened: string[] }).opened[0]!);
    expect(opened).to.match(/\/files\/[rR]\//);
    expect((await fetch(opened)).status, "the link works").to.equal(200);
    await page.waitForFunction(() => Array.from(document.querySelectorAll('[data-testid="report"].read')).some((e) => e.textContent?.includes("gelezen op")));
    await screenshots(page, "reports-nl");
  });

  it("fits a phone-sized screen", async () => {
    const page = await (await browser.createBrowserContext()).newPage();
    await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
    await signInThroughPage(page, env.server.url, world.clients[0]!.email, PASSWORD);
    await page.waitForSelector('[data-testid="desk"]');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, "no sideways scrolling").to.be.at.most(0);
    await screenshot(page, "phone-desk");
  });

  it("shows all 200 documents of a full desk after a fresh load (how fast: bench/desk-render.bench.ts)", async () => {
    await env.sql(
      `INSERT INTO documents (firm_id, administration_id, filename, content_type, format, byte_size, sha256, location, status, uploaded_at)
       SELECT $1, $2, 'scan-' || g || '.pdf', 'application/pdf', 'PDF', 1000, md5(g::text) || md5((g + 1)::text), 'DESK', 'ON_DESK', now() - make_interval(mins => g)
         FROM generate_series(1, 200) AS g`,
      [world.firm.id, world.administrations[0]!.id],
    );
    const page = await (await browser.createBrowserContext()).newPage();
    await signInThroughPage(page, env.server.url, world.clients[0]!.email, PASSWORD);
    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="card"]').length >= 200, { timeout: 20_000, polling: "mutation" });
    const names = await page.$$eval('[data-testid="card"]', (cards) => cards.map((c) => c.textContent ?? ""));
    expect(names.filter((n) => /scan-\d+\.pdf/.test(n))).to.have.length(200);
    await screenshot(page, "desk-200");
  });
});

// A VAT return through its life in a real browser: the accountant sees it as the official form
// (rubrieken in order, Dutch words, amount to pay first, period in words), changes the draft and
// asks approval with a message; the client can only reject with a reason and after confirming; the
// accountant reopens it, changes it, and offers it again.
import { CreateVatReturnDocument, unwrap, type PortalDeskClient } from "@portaldesk/sdk";
import { expect } from "chai";
import type { Browser, Page } from "puppeteer-core";
import { answerConfirmations, languagePage, launchBrowser, screenshots, signInThroughPage, textOf, waitForText } from "./support/browser.js";
import { gid, PASSWORD, TestEnv, type World } from "./support/harness.js";

describe("filings through their life in the web portal", function () {
  this.timeout(120_000);
  let env: TestEnv;
  let world: World;
  let browser: Browser;
  let staff: PortalDeskClient;
  let administrationId: string;

  before(async () => {
    env = await TestEnv.create();
    world = await env.createWorld({ administrations: 1 });
    administrationId = gid("Administration", world.administrations[0]!.id);
    await env.sql("UPDATE administrations SET vat_number = 'NL123456782B01' WHERE id = $1", [world.administrations[0]!.id]);
    staff = await env.signIn(world.accountant.email);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await env.close();
  });

  const status = (tab: Page, value: string) => tab.waitForSelector(`[data-testid="filing-status"][data-status="${value}"]`);

  it("shows the form, changes a draft, asks approval; the client rejects with a reason; the accountant reopens, changes and offers it again", async () => {
    const vat = unwrap(
      (
        await staff.request(CreateVatReturnDocument, {
          input: { administrationId, period: { year: 2026, quarter: 3 }, boxes: { box1a: { turnover: 84250, vat: 17693 }, box5b: 9000 } },
        })
      ).createVatReturn,
    ).vatReturn!;
    const accountant = await languagePage(browser, "nl");
    const asked = answerConfirmations(accountant);
    await signInThroughPage(accountant, `${env.server.url}/#/filings/${vat.id}`, world.accountant.email, PASSWORD);
    await status(accountant, "DRAFT");
    expect(await textOf(accountant, "#filing-title")).to.equal("Btw-aangifte 3e kwartaal 2026");
    expect(await textOf(accountant, '[data-testid="vat-headline"]')).to.match(/^Te betalen\s+€\s8\.693$/);
    const order = await accountant.$$eval('[data-testid="vat-form"] tr[data-box]', (rows) => rows.map((r) => r.getAttribute("data-box")));
    expect(order).to.deep.equal(["1a", "1b", "1c", "1d", "1e", "2a", "3a", "3b", "3c", "4a", "4b", "5a", "5b", "5c", "5g"]);
    const box1a = await textOf(accountant, '[data-testid="vat-form"] tr[data-box="1a"]');
    expect(box1a)
      .to.contain("Leveringen/diensten belast met hoog tarief")
      .and.match(/€\s84\.250/)
      .and.match(/€\s17\.693/);
    expect(await textOf(accountant, '[data-testid="vat-form"]')).to.contain("4. Prestaties vanuit het buitenland aan u verricht");

    // The draft's input VAT changes; 5c and 5g follow.
    await accountant.click('[data-testid="edit-vat-return"]');
    await accountant.$eval('[data-testid="input-box5b"]', (e) => ((e as HTMLInputElement).value = ""));
    await accountant.type('[data-testid="input-box5b"]', "10.000");
    await accountant.click('[data-testid="vat-editor"] button[type="submit"]');
    await waitForText(accountant, '[data-testid="vat-headline"]', "7.693");
    expect(await textOf(accountant, '[data-testid="vat-form"] tr[data-box="5b"]')).to.match(/€\s10\.000/);
    await screenshots(accountant, "filing-draft-nl");
    await accountant.type('[data-testid="request-approval-form"] textarea', "Graag uw akkoord voor vrijdag.");
    await accountant.click('[data-testid="request-approval"]');
    await status(accountant, "AWAITING_APPROVAL");

    // The client: rejecting needs a reason, and a confirmation.
    const client = await languagePage(browser, "nl");
    const clientAsked = answerConfirmations(client);
    await signInThroughPage(client, `${env.server.url}/#/filings/${vat.id}`, world.clients[0]!.email, PASSWORD);
    await status(client, "AWAITING_APPROVAL");
    await client.click('[data-testid="reject"]');
    await waitForText(client, '[role="alert"]', "Schrijf eerst waarom u afkeurt");
    expect(clientAsked).to.deep.equal([]);
    await status(client, "AWAITING_APPROVAL");
    await screenshots(client, "filing-decide-nl");
    await client.type('textarea[name="note"]', "De voorbelasting van september ontbreekt.");
    await client.click('[data-testid="reject"]');
    await status(client, "REJECTED");
    expect(clientAsked).to.deep.equal(["De aangifte afkeuren? Het kantoor past haar dan aan en vraagt u opnieuw."]);

    // The accountant sees why, reopens, changes and asks again.
    await status(accountant, "REJECTED");
    expect(await textOf(accountant, '[data-testid="rejected-because"]')).to.contain("De voorbelasting van september ontbreekt.");
    await screenshots(accountant, "filing-rejected-nl");
    await accountant.click('[data-testid="reopen"]');
    await status(accountant, "DRAFT");
    expect(asked).to.deep.equal(["De aangifte heropenen? Het akkoord van de klant vervalt dan."]);
    await accountant.click('[data-testid="edit-vat-return"]');
    await accountant.$eval('[data-testid="input-box5b"]', (e) => ((e as HTMLInputElement).value = ""));
    await accountant.type('[data-testid="input-box5b"]', "11500");
    await accountant.click('[data-testid="vat-editor"] button[type="submit"]');
    await waitForText(accountant, '[data-testid="vat-headline"]', "6.193");
    await accountant.click('[data-testid="request-approval"]');
    await status(accountant, "AWAITING_APPROVAL");
    await status(client, "AWAITING_APPROVAL");
    await waitForText(client, '[data-testid="vat-headline"]', "6.193");

    // The history says it in words.
    await accountant.waitForSelector('[data-testid="history"] li[data-action="filing.reopened"]');
    const history = await textOf(accountant, '[data-testid="history"]');
    for (const words of ["klaargezet", "ter goedkeuring voorgelegd", `e-mail gestuurd aan ${world.clients[0]!.email}`, "afgekeurd", "heropend om te wijzigen"])
      expect(history).to.contain(words);
    expect(history).to.not.match(/filing\.\w+/);
  });

  it("deletes a draft the firm will not offer, after asking, and frees its period for a new one", async () => {
    const draft = unwrap(
      (await staff.request(CreateVatReturnDocument, { input: { administrationId, period: { year: 2026, quarter: 1 }, boxes: { box1a: { turnover: 500, vat: 105 } } } }))
        .createVatReturn,
    ).vatReturn!;
    const accountant = await languagePage(browser, "en");
    // The first question is answered no: nothing happens; the second yes.
    let answers = 0;
    const asked = answerConfirmations(accountant, () => answers++ > 0);
    await signInThroughPage(accountant, `${env.server.url}/#/filings/${draft.id}`, world.accountant.email, PASSWORD);
    await status(accountant, "DRAFT");
    await accountant.click('[data-testid="delete-filing"]');
    await status(accountant, "DRAFT");
    await accountant.click('[data-testid="delete-filing"]');
    // Back on the administration's page, where the return is no longer listed.
    await accountant.waitForSelector('[data-testid="publish-report"]');
    expect(asked).to.deep.equal([
      "Delete this return? Its period is free for a new one; the firm's history keeps what it held.",
      "Delete this return? Its period is free for a new one; the firm's history keeps what it held.",
    ]);
    expect(await accountant.$$eval('[data-testid="filing"] a', (links) => links.map((a) => a.getAttribute("href")))).to.not.include(`#/filings/${draft.id}`);
    const again = await staff.request(CreateVatReturnDocument, { input: { administrationId, period: { year: 2026, quarter: 1 }, boxes: {} } });
    expect(again.createVatReturn.userErrors).to.deep.equal([]);
  });
});

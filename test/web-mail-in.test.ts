// The mail-in address in a real browser: the client sees it on the desk (NL and EN) with a copy
// button, and a mail sent to it lands there; staff see it with the administration and can replace it,
// review the mail that waits (put on the desk, discard), and firm admins set what strangers' mail does.
import { InboundEmailAddressDocument } from "@portaldesk/sdk";
import { expect } from "chai";
import nodemailer from "nodemailer";
import type { Browser } from "puppeteer-core";
import { languagePage, launchBrowser, screenshots, signInThroughPage, textOf } from "./support/browser.js";
import { pdfBytes } from "./support/files.js";
import { eventually, gid, PASSWORD, TestEnv, type World } from "./support/harness.js";

describe("the mail-in address in the web portal", function () {
  this.timeout(120_000);
  let env: TestEnv;
  let world: World;
  let browser: Browser;

  before(async () => {
    env = await TestEnv.create({ MAIL_IN: "true", MAIL_IN_PORT: "0", MAIL_IN_DOMAIN: "in.portaldesk.test" });
    world = await env.createWorld({ administrations: 1 });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await env?.close();
  });

  it("shows the client the address on the desk, and what is mailed to it lands there", async () => {
    const tab = await languagePage(browser, "nl");
    await signInThroughPage(tab, env.server.url, world.clients[0]!.email, PASSWORD);
    await tab.waitForSelector('[data-testid="mail-in-address"]');
    const address = await textOf(tab, '[data-testid="mail-in-address"]');
    expect(address).to.match(/@in\.portaldesk\.test$/);
    expect(await textOf(tab, '[data-testid="mail-in"]'))
      .to.include("Of mail uw stukken naar")
      .and.include("[INK]");
    expect(await tab.$('[data-testid="mail-in-rotate"]'), "clients cannot replace it").to.equal(null);

    await nodemailer
      .createTransport({ host: "127.0.0.1", port: env.server.mailInPort!, secure: false, ignoreTLS: true })
      .sendMail({ from: world.clients[0]!.email, to: address, subject: "Factuur", attachments: [{ filename: "gemaild.pdf", content: await pdfBytes(1, "Gemaild") }] });
    await tab.reload();
    await tab.waitForFunction(() => document.body.innerText.includes("gemaild.pdf"));
    await screenshots(tab, "mail-in-desk");
    await tab.close();
  });

  it("lets staff replace the address", async () => {
    const tab = await languagePage(browser, "en");
    tab.on("dialog", (dialog) => void dialog.accept());
    await signInThroughPage(tab, env.server.url, world.accountant.email, PASSWORD);
    await tab.waitForSelector('[data-testid="administration"]');
    await tab.click('[data-testid="administration"]');
    await tab.waitForSelector('[data-testid="mail-in-address"]');
    const before = await textOf(tab, '[data-testid="mail-in-address"]');
    expect(await textOf(tab, '[data-testid="mail-in"]')).to.include("Or mail your documents to");
    await tab.click('[data-testid="mail-in-rotate"]');
    await tab.waitForFunction((old) => document.querySelector('[data-testid="mail-in-address"]')?.textContent !== old, {}, before);
    expect(await textOf(tab, '[data-testid="mail-in-address"]')).not.to.equal(before);
    await tab.close();
  });

  it("shows staff the mail that waits for review, which they put on the desk or discard; firm admins choose what strangers' mail does", async () => {
    for (const language of ["nl", "en"] as const) {
      const address = (
        await (await env.signIn(world.accountant.email)).request(InboundEmailAddressDocument, { administrationId: gid("Administration", world.administrations[0]!.id) })
      ).administration.inboundEmailAddress!;
      const transport = nodemailer.createTransport({ host: "127.0.0.1", port: env.server.mailInPort!, secure: false, ignoreTLS: true });
      await transport.sendMail({
        from: "Garage Jansen <facturen@garage-jansen.test>",
        to: address,
        subject: `[INK] Onderhoud bus (${language})`,
        attachments: [{ filename: `onderhoud-${language}.pdf`, content: await pdfBytes(1, "Onderhoud") }],
      });
      await transport.sendMail({
        from: "reclame@elders.test",
        to: address,
        subject: `Aanbieding (${language})`,
        attachments: [{ filename: "folder.pdf", content: await pdfBytes(1, "Folder") }],
      });

      const tab = await languagePage(browser, language);
      tab.on("dialog", (dialog) => void dialog.accept());
      await signInThroughPage(tab, env.server.url, world.admin.email, PASSWORD);
      await tab.waitForSelector('[data-testid="administration"]');
      await tab.click('[data-testid="administration"]');
      await tab.waitForSelector('[data-testid="quarantined-mail"]');
      const list = await textOf(tab, '[data-testid="mail-quarantine"]');
      expect(list)
        .to.include(language === "nl" ? "Mail ter controle (2)" : "Mail to review (2)")
        .and.include(`[INK] Onderhoud bus (${language})`)
        .and.include("facturen@garage-jansen.test")
        .and.include(`onderhoud-${language}.pdf`)
        .and.include(language === "nl" ? "onbekende afzender" : "unknown sender");
      expect(await textOf(tab, '[data-testid="mail-in-settings"]')).to.include(language === "nl" ? "Mail van onbekende afzenders" : "Mail from unknown senders");
      await screenshots(tab, `mail-quarantine-${language}`);

      // Newest first: the offer is discarded, the garage's invoice goes into the purchase tray.
      const buttons = await tab.$$('[data-testid="discard-mail"]');
      await buttons[0]!.click();
      await tab.waitForFunction(() => document.querySelectorAll('[data-testid="quarantined-mail"]').length === 1);
      await tab.click('[data-testid="release-mail"]');
      await tab.waitForFunction(() => !document.querySelector('[data-testid="mail-quarantine"]'));
      const rows = await env.sql("SELECT location, tray, uploaded_by_user_id FROM documents WHERE filename = $1", [`onderhoud-${language}.pdf`]);
      expect(rows.rows).to.deep.equal([{ location: "TRAY", tray: "PURCHASE", uploaded_by_user_id: world.admin.id }]);
      expect(Number((await env.sql("SELECT count(*) FROM quarantined_mails")).rows[0]!.count)).to.equal(0);
      await tab.close();
    }

    // The firm admin turns strangers away: the setting holds, and a stranger's mail is refused.
    const tab = await languagePage(browser, "nl");
    await signInThroughPage(tab, env.server.url, world.admin.email, PASSWORD);
    await tab.waitForSelector('[data-testid="administration"]');
    await tab.click('[data-testid="administration"]');
    await tab.waitForSelector('[data-testid="mail-in-strangers"]');
    await tab.select('[data-testid="mail-in-strangers"]', "REFUSE");
    await tab.click('[data-testid="mail-in-body-pdf"]');
    await eventually(async () => {
      const row = (await env.sql("SELECT mail_from_strangers, mail_body_as_pdf FROM administrations WHERE id = $1", [world.administrations[0]!.id])).rows[0];
      return row?.mail_from_strangers === "REFUSE" && row.mail_body_as_pdf === true;
    });
    await tab.reload();
    await tab.waitForSelector('[data-testid="administration"]');
    await tab.click('[data-testid="administration"]');
    await tab.waitForSelector('[data-testid="mail-in-strangers"]');
    expect(await tab.$eval('[data-testid="mail-in-strangers"]', (e) => (e as HTMLSelectElement).value)).to.equal("REFUSE");
    expect(await textOf(tab, '[data-testid="mail-in"]')).to.include("een mail zonder bijlagen als PDF van de tekst");
    await screenshots(tab, "mail-in-settings-nl");
    await tab.close();
  });
});

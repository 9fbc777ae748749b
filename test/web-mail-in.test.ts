// The mail-in address in a real browser: the client sees it on the desk (NL and EN) with a copy
// button, and a mail sent to it lands there; staff see it with the administration and can replace it.
import { expect } from "chai";
import nodemailer from "nodemailer";
import type { Browser } from "puppeteer-core";
import { languagePage, launchBrowser, screenshots, signInThroughPage, textOf } from "./support/browser.js";
import { pdfBytes } from "./support/files.js";
import { PASSWORD, TestEnv, type World } from "./support/harness.js";

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
});

// The firm admin's webhooks in a real browser: make one for two events, keep the secret shown once,
// send a test that the receiver verifies, look at the deliveries, and disable it — in Dutch and English.
import { expect } from "chai";
import type { Browser } from "puppeteer-core";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { languagePage, launchBrowser, screenshots, signInThroughPage, textOf, waitForText } from "./support/browser.js";
import { eventually, PASSWORD, TestEnv, type World } from "./support/harness.js";
import { WebhookReceiver } from "./support/webhook-receiver.js";

describe("webhooks in the web portal", function () {
  this.timeout(120_000);
  let env: TestEnv;
  let world: World;
  let browser: Browser;
  let target: WebhookReceiver;

  before(async () => {
    env = await TestEnv.create({ WEBHOOK_ALLOW_PRIVATE: "true" });
    world = await env.createWorld({ administrations: 1 });
    browser = await launchBrowser();
    target = await WebhookReceiver.start();
  });
  after(async () => {
    await browser?.close();
    await env?.close();
    await target?.close();
  });

  for (const language of ["nl", "en"] as const) {
    it(`lets a firm admin make, test, inspect and disable a webhook (${language})`, async () => {
      const words =
        language === "nl"
          ? { none: "Nog geen webhooks.", test: "testbericht", event: "document in bakje gelegd", ok: "Test aangekomen (204", on: "Actief", off: "Uit", delivered: "afgeleverd" }
          : { none: "No webhooks yet.", test: "test message", event: "document filed", ok: "Test arrived (204", on: "Active", off: "Disabled", delivered: "delivered" };
      const tab = await languagePage(browser, language);
      tab.on("dialog", (dialog) => void dialog.accept());
      await signInThroughPage(tab, env.server.url, world.admin.email, PASSWORD);
      await tab.click('[data-testid="firm-link"]');
      await tab.waitForSelector('[data-testid="webhooks"]');
      if (language === "nl") await waitForText(tab, '[data-testid="webhooks"]', words.none);

      await tab.type('[data-testid="new-webhook"] input[name="url"]', `${target.url}?${language}`);
      await tab.type('[data-testid="new-webhook"] input[name="description"]', `Boekhoudpakket ${language}`);
      await tab.click('input[name="event"][value="DOCUMENT_ADDED"]');
      await tab.click('input[name="event"][value="DOCUMENT_FILED"]');
      await tab.click('[data-testid="new-webhook"] button[type="submit"]');
      await tab.waitForSelector('[data-testid="webhook-secret"] code');
      const secret = await textOf(tab, '[data-testid="webhook-secret"] code');
      expect(secret).to.match(/^whsec_/);
      const row = `[data-testid="webhook"]:${language === "nl" ? "last-child" : "first-child"}`;
      await tab.waitForSelector(row);
      expect(await textOf(tab, row))
        .to.include(`Boekhoudpakket ${language}`)
        .and.include(words.event)
        .and.include(words.on);

      const before = target.received.length;
      await tab.click(`${row} [data-testid="test-webhook"]`);
      await tab.waitForSelector('[data-testid="webhook-notice"]');
      expect(await textOf(tab, '[data-testid="webhook-notice"]')).to.include(words.ok);
      await eventually(async () => target.received.length > before);
      const test = target.received.at(-1)!;
      expect((new StandardWebhook(secret).verify(test.body, test.headers) as { type: string }).type).to.equal("webhook.test");

      await tab.click(`${row} [data-testid="show-deliveries"]`);
      await tab.waitForSelector(`${row} [data-testid="webhook-deliveries"]`);
      expect(await textOf(tab, `${row} [data-testid="webhook-deliveries"]`))
        .to.include(words.test)
        .and.include(words.delivered);
      await screenshots(tab, `webhooks-${language}`);

      const disable = (await tab.$$(`${row} p.actions button`))[3]!;
      await disable.click();
      await tab.waitForFunction((selector) => document.querySelector(selector)?.classList.contains("revoked"), {}, row);
      expect(await textOf(tab, `${row} [data-testid="webhook-state"]`)).to.include(words.off);
      await tab.close();
    });
  }
});

// The notification settings page every mail's footer links to (#/settings/notifications), in a
// real browser: the kinds the person can receive, in words, each with its choice of mail; only what
// was changed is saved, and it holds after a reload. A client and a firm admin see different kinds.
import { NotificationDelivery, NotificationKind, NotificationPreferencesDocument } from "@portaldesk/sdk";
import { expect } from "chai";
import type { Page } from "puppeteer-core";
import { browserSuite, languagePage, screenshots, signInThroughPage, textOf } from "./support/browser.js";
import { PASSWORD } from "./support/harness.js";

describe("notification settings in the web portal", function () {
  this.timeout(120_000);
  const suite = browserSuite();

  const kinds = (tab: Page) => tab.$$eval('[data-testid="notification-settings"] label.preference', (labels) => labels.map((l) => l.getAttribute("data-kind")));
  const choice = (tab: Page, kind: string) => tab.$eval(`select[name="${kind}"]`, (s) => (s as HTMLSelectElement).value);

  it("lets a client choose per kind how it is mailed, from the link in a mail, and keeps exactly what changed", async () => {
    const { env, world, browser } = suite;
    const tab = await languagePage(browser, "nl");
    // The link of a mail's footer, opened signed out: after signing in, the page it names.
    await signInThroughPage(tab, `${env.server.url}/#/settings/notifications`, world.clients[0]!.email, PASSWORD);
    await tab.waitForSelector('[data-testid="notification-settings"]');
    expect(await textOf(tab, "h1")).to.equal("Meldingsinstellingen");
    const shown = await kinds(tab);
    expect(shown).to.include.members([NotificationKind.DocumentReturned, NotificationKind.FilingApprovalRequested, NotificationKind.ReportPublished]);
    expect(shown, "a client gets no webhook or staff notifications").to.not.include.members([NotificationKind.WebhookDisabled, NotificationKind.FilingApproved]);
    const form = await textOf(tab, '[data-testid="notification-settings"]');
    expect(form).to.contain("Een document is teruggezet").and.contain("Verzoek om akkoord op een aangifte").and.contain("Meteen een mail");
    await screenshots(tab, "notification-settings-nl");

    await tab.select(`select[name="${NotificationKind.DocumentReturned}"]`, NotificationDelivery.Off);
    await tab.select(`select[name="${NotificationKind.ReportPublished}"]`, NotificationDelivery.DailyDigest);
    await tab.click('[data-testid="notification-settings"] button[type="submit"]');
    await tab.waitForSelector('[data-testid="notification-settings"] [role="status"]');
    expect(await textOf(tab, '[data-testid="notification-settings"] [role="status"]')).to.equal("Opgeslagen.");

    // Through the API: the two chosen, every other kind still its default.
    const client = await env.signIn(world.clients[0]!.email);
    const preferences = (await client.request(NotificationPreferencesDocument, {})).notificationPreferences;
    const chosen = preferences.filter((p) => !p.isDefault).map((p) => [p.kind, p.delivery]);
    expect(chosen).to.have.deep.members([
      [NotificationKind.DocumentReturned, NotificationDelivery.Off],
      [NotificationKind.ReportPublished, NotificationDelivery.DailyDigest],
    ]);

    await tab.reload();
    await tab.waitForSelector('[data-testid="notification-settings"]');
    expect(await choice(tab, NotificationKind.DocumentReturned)).to.equal(NotificationDelivery.Off);
    expect(await choice(tab, NotificationKind.ReportPublished)).to.equal(NotificationDelivery.DailyDigest);
  });

  it("shows a firm admin the firm's kinds, reached from the notifications and the account page", async () => {
    const { env, world, browser } = suite;
    const tab = await languagePage(browser, "en");
    await signInThroughPage(tab, `${env.server.url}/#/account`, world.admin.email, PASSWORD);
    await tab.click('[data-testid="notification-settings-link"]');
    await tab.waitForSelector('[data-testid="notification-settings"]');
    expect(await kinds(tab)).to.include.members([NotificationKind.FilingApproved, NotificationKind.FilingRejected, NotificationKind.WebhookDisabled]);
    expect(await textOf(tab, '[data-testid="notification-settings"]'))
      .to.contain("A filing rejected by the client")
      .and.contain("In the daily digest");
    await screenshots(tab, "notification-settings-staff-en");
  });
});

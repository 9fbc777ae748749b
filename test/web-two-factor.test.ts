// Two-step sign-in in a real browser: setting up an authenticator app on the Account page (the QR
// code, the secret, a code, the recovery codes), signing in with a code, and the enrolment a firm's
// requirement leads a client through before anything else — in English and in Dutch.
import {
  ConfirmTotpEnrolmentDocument,
  CreateVatReturnDocument,
  RequestFilingApprovalDocument,
  StartTotpEnrolmentDocument,
  UpdateAdministrationDocument,
  UpdateFirmSettingsDocument,
  unwrap,
} from "@portaldesk/sdk";
import { expect } from "chai";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { generate } from "otplib";
import type { Browser, Page } from "puppeteer-core";
import { languagePage, launchBrowser, screenshots, signInThroughPage, textOf } from "./support/browser.js";
import { eventually, gid, PASSWORD, TestEnv, type World } from "./support/harness.js";

const codeAt = (secret: string, offset = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + offset * 30 });

describe("two-step sign-in in a real browser", function () {
  this.timeout(90_000);
  let env: TestEnv;
  let world: World;
  let browser: Browser;

  before(async () => {
    env = await TestEnv.create();
    world = await env.createWorld({ administrations: 1 });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await env.close();
  });

  /** Reads the secret off the setup form, confirms with the app's code, saves the recovery codes; returns the secret. */
  async function setUpApp(tab: Page, name: string, offset = 0): Promise<string> {
    await tab.waitForSelector('[data-testid="totp-secret"]');
    expect(await tab.$eval("img.qr", (e) => (e as HTMLImageElement).naturalWidth), "the QR code is drawn").to.be.greaterThan(0);
    const secret = (await textOf(tab, '[data-testid="totp-secret"]')).replace(/\s+/g, "");
    await tab.type('[data-testid="totp-setup"] [data-testid="code"]', "000000");
    await tab.click('[data-testid="totp-setup"] button[type="submit"]');
    await tab.waitForSelector('[data-testid="totp-setup"] [role="alert"]');
    await screenshots(tab, `${name}-setup`);
    await tab.$eval('[data-testid="totp-setup"] [data-testid="code"]', (e) => ((e as HTMLInputElement).value = ""));
    await tab.type('[data-testid="totp-setup"] [data-testid="code"]', await codeAt(secret, offset));
    await tab.click('[data-testid="totp-setup"] button[type="submit"]');
    await tab.waitForSelector('[data-testid="recovery-codes"]');
    expect(await tab.$$eval(".recovery-codes li", (items) => items.length)).to.equal(10);
    expect(await tab.$eval('[data-testid="codes-continue"]', (e) => (e as HTMLButtonElement).disabled), "continue only once the codes are saved").to.equal(true);
    await screenshots(tab, `${name}-codes`);
    await tab.click('[data-testid="codes-saved"]');
    await tab.click('[data-testid="codes-continue"]');
    return secret;
  }

  it("sets up an authenticator app on the Account page, then signs in with a code from it (English)", async () => {
    const person = await env.addClient(world, 0, "browser-totp");
    const tab = await languagePage(browser, "en");
    await signInThroughPage(tab, env.server.url, person.email, PASSWORD);
    await (await tab.waitForSelector('[data-testid="account-link"]'))!.click();
    await tab.waitForSelector('[data-testid="two-factor-status"]');
    expect(await textOf(tab, '[data-testid="two-factor-status"]')).to.include("Off.");
    await tab.click('[data-testid="two-factor-set-up"]');
    expect(await textOf(tab, '[data-testid="totp-setup"]')).to.include("Install an authenticator app");
    const secret = await setUpApp(tab, "two-factor-account-en");
    await tab.waitForFunction(() => document.querySelector('[data-testid="two-factor-status"]')?.textContent?.includes("On since"));
    expect(await textOf(tab, '[data-testid="two-factor-status"]')).to.include("10 recovery codes left");

    const again = await languagePage(browser, "en");
    await again.goto(env.server.url);
    await again.waitForSelector('input[name="email"]');
    await again.type('input[name="email"]', person.email);
    await again.type('input[name="password"]', PASSWORD);
    await again.click('button[type="submit"]');
    await again.waitForSelector('[data-testid="second-step"]');
    await again.type('[data-testid="second-step"] [data-testid="code"]', "123456");
    await again.click('[data-testid="second-step"] button[type="submit"]');
    await again.waitForSelector('[data-testid="second-step"] [role="alert"]');
    expect(await textOf(again, '[data-testid="second-step"] [role="alert"]')).to.equal("This code is not correct. Check that your phone's clock is right.");
    await screenshots(again, "two-factor-second-step-en");
    await again.$eval('[data-testid="second-step"] [data-testid="code"]', (e) => ((e as HTMLInputElement).value = ""));
    await again.type('[data-testid="second-step"] [data-testid="code"]', await codeAt(secret, 1));
    await Promise.all([again.waitForSelector("header .who"), again.click('[data-testid="second-step"] button[type="submit"]')]);
  });

  it("leads a client through setting up the app the firm requires before anything else (Dutch)", async () => {
    const admin = await env.signIn(world.admin.email);
    unwrap((await admin.request(UpdateFirmSettingsDocument, { input: { requireTwoFactorForClients: true } })).updateFirmSettings);
    try {
      const tab = await languagePage(browser, "nl");
      await tab.goto(env.server.url);
      await tab.waitForSelector('input[name="email"]');
      await tab.type('input[name="email"]', world.clients[0]!.email);
      await tab.type('input[name="password"]', PASSWORD);
      await tab.click('button[type="submit"]');
      await tab.waitForSelector('[data-testid="enrolment-required"]');
      expect(await textOf(tab, '[data-testid="enrolment-required"]')).to.include("Uw kantoor vraagt om inloggen in twee stappen");
      expect(await tab.$("header .who"), "nothing else before the app is set up").to.equal(null);
      await setUpApp(tab, "two-factor-enrolment-nl");
      await tab.waitForSelector("header .who");
    } finally {
      unwrap((await admin.request(UpdateFirmSettingsDocument, { input: { requireTwoFactorForClients: false } })).updateFirmSettings);
    }
  });

  it("has a client with two-step sign-in confirm an approval with a code; the accountant sees it confirmed and downloads the proof (Dutch)", async () => {
    const administrationId = gid("Administration", world.administrations[0]!.id);
    const admin = await env.signIn(world.admin.email);
    unwrap((await admin.request(UpdateAdministrationDocument, { input: { id: administrationId, vatNumber: "NL123456782B01" } })).updateAdministration);
    const approver = await env.addClient(world, 0, "browser-approver");
    await env.sql("UPDATE memberships SET can_approve_filings = true WHERE user_id = $1", [approver.id]);
    const api = await env.signIn(approver.email);
    const secret = unwrap((await api.request(StartTotpEnrolmentDocument, {})).startTotpEnrolment).secret!;
    const { recoveryCodes } = unwrap((await api.request(ConfirmTotpEnrolmentDocument, { input: { code: await codeAt(secret) } })).confirmTotpEnrolment);
    const staff = await env.signIn(world.accountant.email);
    const vat = unwrap(
      (await staff.request(CreateVatReturnDocument, { input: { administrationId, period: { year: 2027, quarter: 1 }, boxes: { box1a: { turnover: 5000, vat: 1050 } } } }))
        .createVatReturn,
    ).vatReturn!;
    unwrap((await staff.request(RequestFilingApprovalDocument, { input: { filingId: vat.id } })).requestFilingApproval);

    const tab = await languagePage(browser, "nl");
    await tab.goto(`${env.server.url}/#/filings/${vat.id}`);
    await tab.waitForSelector('input[name="email"]');
    await tab.type('input[name="email"]', approver.email);
    await tab.type('input[name="password"]', PASSWORD);
    await tab.click('button[type="submit"]');
    await tab.waitForSelector('[data-testid="second-step"]');
    // The recovery code here: the app's codes of this half minute were used above.
    await tab.type('[data-testid="second-step"] [data-testid="code"]', recoveryCodes![0]!);
    await tab.click('[data-testid="second-step"] button[type="submit"]');
    await tab.waitForSelector('[data-testid="approve"]');
    await tab.click('[data-testid="approve"]');
    await tab.waitForSelector('[data-testid="confirmation-code"]');
    expect(await textOf(tab, '[data-testid="filing-view"] [role="alert"]')).to.equal("Bevestig uw besluit met de code die uw authenticator-app nu laat zien.");
    await tab.type('[data-testid="confirmation-code"]', await codeAt(secret, 1));
    await screenshots(tab, "filing-approval-confirm-nl");
    await tab.click('[data-testid="approve"]');
    await tab.waitForSelector('[data-testid="filing-status"][data-status="APPROVED"]');

    const downloads = await fs.mkdtemp(path.join(os.tmpdir(), "portaldesk-downloads-"));
    const accountant = await languagePage(browser, "nl", { downloadBehavior: { policy: "allow", downloadPath: downloads } });
    await signInThroughPage(accountant, `${env.server.url}/#/filings/${vat.id}`, world.accountant.email, PASSWORD);
    await accountant.waitForSelector('[data-testid="download-proof"]');
    expect(await textOf(accountant, ".proof")).to.include("Bevestigd met de authenticator-app van de klant.");
    await accountant.click('[data-testid="download-proof"]');
    const file = await eventually(async () => (await fs.readdir(downloads)).find((name) => name.endsWith(".json") && !name.endsWith(".crdownload")));
    const proof = JSON.parse(await fs.readFile(path.join(downloads, file), "utf8")) as { decision: { confirmation: string } };
    expect(proof.decision.confirmation).to.equal("TOTP");
    await fs.rm(downloads, { recursive: true, force: true });
    await screenshots(accountant, "filing-proof-nl");
  });
});

// The account pages in a real browser: a forgotten password from the sign-in page to the mailed
// link and back, taking up an invitation, changing the password and ending a session — in Dutch
// and in English.
import { InviteUserDocument, UpdateFirmSettingsDocument, UserRole, unwrap } from "@portaldesk/sdk";
import { expect } from "chai";
import type { Browser, ElementHandle } from "puppeteer-core";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { answerConfirmations, holdRequests, languagePage, launchBrowser, screenshots, signInThroughPage, textOf } from "./support/browser.js";
import { eventually, gid, PASSWORD, settle, TestEnv, type World } from "./support/harness.js";
import { MailCapture } from "./support/mail-capture.js";

describe("the account pages in a real browser", function () {
  this.timeout(90_000);
  let mail: MailCapture;
  let env: TestEnv;
  let world: World;
  let browser: Browser;

  before(async () => {
    mail = await MailCapture.start();
    env = await TestEnv.create({ SMTP_URL: mail.url });
    world = await env.createWorld({ administrations: 1 });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await env.close();
    await mail.stop();
  });

  it("gets a person back in from the sign-in page: the mailed link, a new password, signed in with it (Dutch)", async () => {
    const person = world.clients[0]!;
    const tab = await languagePage(browser, "nl");
    await tab.goto(env.server.url);
    await (await tab.waitForSelector('[data-testid="forgot-link"]'))!.click();
    await tab.waitForSelector('[data-testid="forgot-password"] input[name="email"]');
    await tab.type('[data-testid="forgot-password"] input[name="email"]', person.email);
    await tab.click('[data-testid="forgot-password"] button[type="submit"]');
    await tab.waitForSelector('[data-testid="forgot-password"] [role="status"]');
    expect(await textOf(tab, '[data-testid="forgot-password"] [role="status"]')).to.include("Als er een account bij dit adres hoort");
    await screenshots(tab, "account-forgot-nl");

    const [message] = await mail.waitFor(person.email);
    const link = /https?:\/\/\S+reset-password\?token=\S+/.exec(message!.text)![0];
    await tab.goto(link);
    await tab.waitForSelector('[data-testid="reset-password"] input[name="password"]');
    // Two different passwords are caught on the page; an easy one by the server.
    await tab.type('input[name="password"]', "lantaarn vijver kompas");
    await tab.type('input[name="repeat"]', "lantaarn vijver");
    await tab.click('[data-testid="reset-password"] button[type="submit"]');
    await tab.waitForSelector('[data-testid="reset-password"] [role="alert"]');
    expect(await textOf(tab, '[role="alert"]')).to.equal("De twee wachtwoorden zijn niet gelijk");
    await tab.$eval('input[name="repeat"]', (e) => ((e as HTMLInputElement).value = ""));
    await tab.type('input[name="repeat"]', "lantaarn vijver kompas");
    await tab.click('[data-testid="reset-password"] button[type="submit"]');
    await tab.waitForSelector('[data-testid="reset-password"] [role="status"]');
    expect(await textOf(tab, '[role="status"]')).to.include("Uw wachtwoord is veranderd");
    await screenshots(tab, "account-reset-nl");

    await signInThroughPage(tab, env.server.url, person.email, "lantaarn vijver kompas");
    // The same link a second time says so, in Dutch.
    const again = await languagePage(browser, "nl");
    await again.goto(link);
    await again.waitForSelector('input[name="password"]');
    await again.type('input[name="password"]', "nog een heel ander wachtwoord");
    await again.type('input[name="repeat"]', "nog een heel ander wachtwoord");
    await again.click('[data-testid="reset-password"] button[type="submit"]');
    await again.waitForSelector('[role="alert"]');
    expect(await textOf(again, '[role="alert"]')).to.equal("Deze link is verlopen of al gebruikt; vraag een nieuwe aan.");
    await env.sql("UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE id = $2) WHERE id = $1", [person.id, world.admin.id]);
  });

  it("takes up an invitation from its mail, then changes the password and ends the other session (English)", async () => {
    const admin = await env.signIn(world.admin.email);
    unwrap(
      (
        await admin.request(UpdateFirmSettingsDocument, {
          input: { displayName: "Jansen & Partners", brandColour: "#0b7a4b", contactPhone: "020 123 45 67", website: "jansen.test" },
        })
      ).updateFirmSettings,
    );
    const administrationId = gid("Administration", world.administrations[0]!.id);
    unwrap((await admin.request(InviteUserDocument, { input: { email: "new.person@example.test", name: "New Person", role: UserRole.Client, administrationId } })).inviteUser);
    const [invitation] = await mail.waitFor("new.person@example.test");
    const link = /https?:\/\/\S+accept-invitation\?token=\S+/.exec(invitation!.text)![0];
    const tab = await languagePage(browser, "en");
    await tab.goto(link);
    await tab.waitForSelector('[data-testid="accept-invitation"]');
    expect(await textOf(tab, "#invitation-title")).to.equal("Welcome to PortalDesk");
    await tab.type('input[name="password"]', PASSWORD);
    await tab.type('input[name="repeat"]', PASSWORD);
    await Promise.all([tab.waitForSelector("header .who"), tab.click('[data-testid="accept-invitation"] button[type="submit"]')]);

    // Signed in, the portal is the firm's: its name and colour in the header, its contact details below.
    expect(await textOf(tab, '[data-testid="brand"]')).to.equal("Jansen & Partners");
    expect(await tab.$eval('[data-testid="brand"]', (e) => getComputedStyle(e).color)).to.equal("rgb(11, 122, 75)");
    expect(await textOf(tab, '[data-testid="firm-contact"]')).to.equal("Jansen & Partners · 020 123 45 67 · jansen.test");
    const elsewhere = await languagePage(browser, "en");
    await signInThroughPage(elsewhere, env.server.url, "new.person@example.test", PASSWORD);
    await (await tab.waitForSelector('[data-testid="account-link"]'))!.click();
    await tab.waitForFunction(() => document.querySelectorAll('[data-testid="session"]').length === 2);
    expect(await textOf(tab, '[data-testid="sessions"]'))
      .to.include("This session")
      .and.include("127.0.0.1");
    await screenshots(tab, "account-sessions-en");

    await tab.type('[data-testid="change-password"] input[name="current"]', "not the password");
    await tab.type('[data-testid="change-password"] input[name="password"]', "lantaarn vijver kompas");
    await tab.type('[data-testid="change-password"] input[name="repeat"]', "lantaarn vijver kompas");
    await tab.click('[data-testid="change-password"] button[type="submit"]');
    await tab.waitForSelector('[data-testid="change-password"] [role="alert"]');
    expect(await textOf(tab, '[data-testid="change-password"] [role="alert"]')).to.equal("The current password is not correct");
    await tab.$eval('[data-testid="change-password"] input[name="current"]', (e) => ((e as HTMLInputElement).value = ""));
    await tab.type('[data-testid="change-password"] input[name="current"]', PASSWORD);
    await tab.click('[data-testid="change-password"] button[type="submit"]');
    await tab.waitForSelector('[data-testid="change-password"] [role="status"]');
    // The change ended the other session: the list shows this one only.
    await tab.waitForFunction(() => document.querySelectorAll('[data-testid="session"]').length === 1);
    await screenshots(tab, "account-changed-en");

    // Signing out everywhere asks first; cancelled, nothing happens.
    let agree = false;
    const asked = answerConfirmations(tab, () => agree);
    const signOut = '[data-testid="sign-out-everywhere"]';
    await tab.click(signOut);
    expect(asked).to.deep.equal(["Sign out everywhere, here too?"]);
    expect(await tab.$(signOut)).to.not.equal(null);
    // Agreed, the button is busy (disabled) until the answer comes; a second click sends nothing more.
    agree = true;
    const requests = await holdRequests(tab, "signOutEverywhere");
    await tab.click(signOut);
    await tab.waitForFunction((sel) => (document.querySelector(sel) as HTMLButtonElement).disabled, {}, signOut);
    expect(await tab.$eval(signOut, (e) => e.getAttribute("aria-busy"))).to.equal("true");
    // The SDK first sends the query's hash alone, then (not yet known) the query: held here.
    await eventually(async () => requests.count() === 1);
    await tab.click(signOut);
    await settle(300);
    expect(requests.count()).to.equal(1);
    expect(asked).to.have.length(2); // a disabled button asks nothing either
    requests.release();
    await tab.waitForSelector('input[name="email"]');
  });

  it("lets a firm admin set the firm's name, colour, contact details and logo on its page, shows them at once, and on the sign-in page after (Dutch)", async () => {
    const tab = await languagePage(browser, "nl");
    await signInThroughPage(tab, env.server.url, world.admin.email, PASSWORD);
    await (await tab.waitForSelector('[data-testid="firm-link"]'))!.click();
    await tab.waitForSelector('[data-testid="firm-settings"]');
    const field = async (name: string, value: string) => {
      await tab.$eval(`[data-testid="firm-settings"] input[name="${name}"]`, (e, v) => ((e as HTMLInputElement).value = v), value);
    };
    await field("displayName", "Bakker & Zonen Accountants");
    await field("brandColour", "#8a2be2");
    await field("contactPhone", "bel ons");
    await tab.click('[data-testid="firm-settings"] button[type="submit"]');
    await tab.waitForSelector('[data-testid="firm-settings"] [role="alert"]');
    // The server's refusal comes in the page's language.
    expect(await textOf(tab, '[data-testid="firm-settings"] [role="alert"]')).to.include("Een telefoonnummer bestaat uit cijfers, spaties, +, - en haakjes");
    await field("contactPhone", "010 765 43 21");
    await tab.click('[data-testid="firm-settings"] button[type="submit"]');
    await tab.waitForSelector('[data-testid="firm-settings"] [role="status"]');
    await tab.waitForFunction(() => document.querySelector('[data-testid="brand"]')?.textContent === "Bakker & Zonen Accountants");
    expect(await tab.$eval('[data-testid="brand"]', (e) => getComputedStyle(e).color)).to.equal("rgb(138, 43, 226)");
    expect(await textOf(tab, '[data-testid="firm-contact"]')).to.include("010 765 43 21");

    // The logo: a wrong file is refused with the reason; a PNG shows in the header at once.
    const logoFile = path.join(os.tmpdir(), `portaldesk-logo-${process.pid}.png`);
    const notAnImage = path.join(os.tmpdir(), `portaldesk-not-a-logo-${process.pid}.png`);
    await fs.writeFile(
      logoFile,
      await sharp({ create: { width: 480, height: 160, channels: 3, background: "#8a2be2" } })
        .png()
        .toBuffer(),
    );
    await fs.writeFile(notAnImage, "plain text");
    const input = async (file: string) => ((await tab.$('[data-testid="logo-input"]')) as ElementHandle<HTMLInputElement>).uploadFile(file);
    await input(notAnImage);
    await tab.waitForSelector('[data-testid="firm-logo"] [role="alert"]');
    expect(await textOf(tab, '[data-testid="firm-logo"] [role="alert"]')).to.include("is geen PNG- of SVG-afbeelding");
    await input(logoFile);
    await tab.waitForSelector('[data-testid="brand-logo"]');
    await tab.waitForSelector('[data-testid="logo-preview"]');
    await screenshots(tab, "firm-settings-nl");

    // Signed out, this browser's sign-in page is still the firm's: its logo, name and colour.
    await tab.click('[data-testid="sign-out"]');
    await tab.waitForSelector('input[name="email"]');
    await tab.waitForSelector('[data-testid="brand-logo"]');
    expect(await textOf(tab, '[data-testid="brand"]')).to.equal("Bakker & Zonen Accountants");
    await screenshots(tab, "sign-in-branded-nl");
    await fs.rm(logoFile, { force: true });
    await fs.rm(notAnImage, { force: true });
  });

  it("changes the email address from the Account page, confirmed from the link mailed to the new one (English)", async () => {
    const person = await env.addClient(world, 0, "browser-email");
    const tab = await languagePage(browser, "en");
    await signInThroughPage(tab, env.server.url, person.email, PASSWORD);
    await (await tab.waitForSelector('[data-testid="account-link"]'))!.click();
    await tab.waitForSelector('[data-testid="email-change"] input[name="newEmail"]');
    expect(await textOf(tab, '[data-testid="current-email"]')).to.equal(person.email);
    await tab.type('[data-testid="email-change"] input[name="newEmail"]', "moved@example.test");
    await tab.type('[data-testid="email-change"] input[name="password"]', PASSWORD);
    await tab.click('[data-testid="email-change"] button[type="submit"]');
    await tab.waitForSelector('[data-testid="email-change"] [role="status"]');
    expect(await textOf(tab, '[data-testid="email-change"] [role="status"]')).to.include("We mailed a link to moved@example.test");
    await screenshots(tab, "account-email-en");
    const [message] = await mail.waitFor("moved@example.test");
    await tab.goto(/https?:\/\/\S+confirm-email\?token=\S+/.exec(message!.text)![0]);
    await tab.waitForSelector('[data-testid="confirm-email"] [role="status"]');
    expect(await textOf(tab, '[data-testid="confirm-email"] [role="status"]')).to.equal("Your account now uses moved@example.test. Sign in with this address from now on.");
    await screenshots(tab, "account-email-confirmed-en");
  });
});

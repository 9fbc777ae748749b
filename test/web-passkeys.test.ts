// Passkeys in a real browser, with Chromium's virtual authenticator (CDP WebAuthn domain): adding one
// on the Account page, signing in with it alone, and using it as the second step after the password;
// and through the SDK, the refusals of answers that do not belong.
import {
  CompletePasskeySignInDocument,
  CreateVatReturnDocument,
  FilingApprovalProofDocument,
  FinishPasskeyRegistrationDocument,
  RequestFilingApprovalDocument,
  StartPasskeyRegistrationDocument,
  StartPasskeySignInDocument,
  UpdateAdministrationDocument,
  unwrap,
} from "@portaldesk/sdk";
import { expect } from "chai";
import type { Browser, CDPSession, Page } from "puppeteer-core";
import { languagePage, launchBrowser, screenshot, screenshots, textOf } from "./support/browser.js";
import { gid, PASSWORD, TestEnv, type World } from "./support/harness.js";
import { runVerifyProof } from "./support/verify-proof.js";

describe("passkeys in a real browser", function () {
  this.timeout(90_000);
  let env: TestEnv;
  let world: World;
  let browser: Browser;
  /** Browsers take no IP address as a passkey's site: the portal is opened as localhost. */
  let origin: string;

  before(async () => {
    env = await TestEnv.create();
    world = await env.createWorld({ administrations: 1 });
    browser = await launchBrowser();
    origin = env.server.url.replace("127.0.0.1", "localhost");
  });
  after(async () => {
    await browser?.close();
    await env.close();
  });

  async function pageWithAuthenticator(language: "nl" | "en"): Promise<{ tab: Page; cdp: CDPSession; authenticatorId: string }> {
    const tab = await languagePage(browser, language);
    const cdp = await tab.createCDPSession();
    await cdp.send("WebAuthn.enable");
    const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    return { tab, cdp, authenticatorId };
  }
  async function passwordStep(tab: Page, email: string): Promise<void> {
    await tab.goto(origin);
    await tab.waitForSelector('input[name="email"]');
    await tab.type('input[name="email"]', email);
    await tab.type('input[name="password"]', PASSWORD);
    await tab.click('button[type="submit"]');
  }

  it("adds a passkey on the Account page, signs in with it alone, and takes it as the second step after the password (English)", async () => {
    const person = await env.addClient(world, 0, "passkey");
    const { tab, cdp, authenticatorId } = await pageWithAuthenticator("en");
    await passwordStep(tab, person.email);
    await (await tab.waitForSelector('[data-testid="account-link"]'))!.click();
    await tab.waitForSelector('[data-testid="passkeys"]');
    await tab.type('[data-testid="passkeys"] input[name="name"]', "Laptop");
    await tab.click('[data-testid="add-passkey"]');
    await tab.waitForSelector('[data-testid="passkey"]');
    expect(await textOf(tab, '[data-testid="passkey"]')).to.include("Laptop");
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    expect(credentials, "the authenticator holds the new passkey, discoverable").to.have.length(1);
    expect(credentials[0]!.isResidentCredential).to.equal(true);
    await screenshot(tab, "passkeys-account-en-1280");

    // Signed out: the passkey alone signs in.
    await tab.click('[data-testid="sign-out"]');
    await (await tab.waitForSelector('[data-testid="passkey-sign-in"]'))!.click();
    await tab.waitForSelector("header .who");
    expect(await textOf(tab, '[data-testid="account-link"]')).to.equal(person.email.split("-")[0]);
    const { credentials: used } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    expect(used[0]!.signCount, "the signature counter moved on").to.be.greaterThan(0);

    // With the password, the passkey is the second step.
    await tab.click('[data-testid="sign-out"]');
    await tab.waitForSelector('input[name="email"]');
    await passwordStep(tab, person.email);
    await tab.waitForSelector('[data-testid="second-step"]');
    expect(await tab.$('[data-testid="second-step"] [data-testid="code"]'), "no app, so no code field").to.equal(null);
    await screenshot(tab, "passkeys-second-step-en-1280");
    await tab.click('[data-testid="passkey-second-step"]');
    await tab.waitForSelector("header .who");

    const { rows } = await env.sql<{ details: Record<string, unknown> }>(
      "SELECT details FROM audit_events WHERE subject_id = $1 AND action = 'auth.signed_in' ORDER BY seq DESC LIMIT 2",
      [person.id],
    );
    expect(rows.map((r) => r.details.secondFactor)).to.deep.equal(["PASSKEY", "PASSKEY"]);
    expect(rows[1]!.details.passwordless).to.equal(true);
  });

  it("shows the passkeys card in Dutch, and refuses an answer without its request or from an unknown passkey", async () => {
    const { tab } = await pageWithAuthenticator("nl");
    await passwordStep(tab, world.accountant.email);
    await (await tab.waitForSelector('[data-testid="account-link"]'))!.click();
    await tab.waitForSelector('[data-testid="passkeys"]');
    expect(await textOf(tab, '[data-testid="passkeys"]')).to.include("Met een passkey logt u in");
    await screenshot(tab, "passkeys-account-nl-1280");
    await tab.setViewport({ width: 390, height: 800 });
    await screenshot(tab, "passkeys-account-nl-390");

    const anonymous = env.client();
    const fake = { id: "bm90LWEtcGFzc2tleQ", rawId: "bm90LWEtcGFzc2tleQ", type: "public-key", response: {}, clientExtensionResults: {} };
    const noRequest = (await anonymous.request(CompletePasskeySignInDocument, { input: { token: "pdw_made-up", response: fake } })).completePasskeySignIn;
    expect(noRequest.userErrors[0]).to.deep.include({ code: "EXPIRED", field: ["input", "token"] });
    const { startPasskeySignIn } = await anonymous.request(StartPasskeySignInDocument);
    expect(startPasskeySignIn.options).to.include({ rpId: "localhost", userVerification: "required" });
    const unknown = (await anonymous.request(CompletePasskeySignInDocument, { input: { token: startPasskeySignIn.token!, response: fake } })).completePasskeySignIn;
    expect(unknown.userErrors[0]).to.deep.include({ code: "INVALID_CREDENTIALS", message: "This passkey is not known here" });
    expect(unknown.token).to.equal(null);

    const staff = await env.signIn(world.accountant.email);
    const { startPasskeyRegistration } = await staff.request(StartPasskeyRegistrationDocument);
    const forged = (await staff.request(FinishPasskeyRegistrationDocument, { input: { token: startPasskeyRegistration.token!, response: fake, name: "Forged" } }))
      .finishPasskeyRegistration;
    expect(forged.userErrors[0]).to.deep.include({ code: "INVALID", field: ["input", "response"] });
    expect(forged.userErrors[0]!.message).to.match(/^The passkey could not be verified/);
  });

  it("has an approver sign a decision with their passkey; the proof carries the signature and verify-proof checks it offline (Dutch)", async () => {
    const administrationId = gid("Administration", world.administrations[0]!.id);
    const admin = await env.signIn(world.admin.email);
    unwrap((await admin.request(UpdateAdministrationDocument, { input: { id: administrationId, vatNumber: "NL123456782B01" } })).updateAdministration);
    const approver = await env.addClient(world, 0, "passkey-approver");
    await env.sql("UPDATE memberships SET can_approve_filings = true WHERE user_id = $1", [approver.id]);
    const staff = await env.signIn(world.accountant.email);
    const vat = unwrap(
      (await staff.request(CreateVatReturnDocument, { input: { administrationId, period: { year: 2028, quarter: 2 }, boxes: { box1a: { turnover: 2000, vat: 420 } } } }))
        .createVatReturn,
    ).vatReturn!;
    unwrap((await staff.request(RequestFilingApprovalDocument, { input: { filingId: vat.id } })).requestFilingApproval);

    const { tab } = await pageWithAuthenticator("nl");
    await passwordStep(tab, approver.email);
    await (await tab.waitForSelector('[data-testid="account-link"]'))!.click();
    await tab.waitForSelector('[data-testid="passkeys"] input[name="name"]');
    await tab.type('[data-testid="passkeys"] input[name="name"]', "Telefoon");
    await tab.click('[data-testid="add-passkey"]');
    await tab.waitForSelector('[data-testid="passkey"]');
    await tab.goto(`${origin}/#/filings/${vat.id}`);
    await (await tab.waitForSelector('[data-testid="approve"]'))!.click();
    await tab.waitForSelector('[data-testid="approve-with-passkey"]');
    expect(await textOf(tab, '[data-testid="filing-view"] [role="alert"]')).to.equal("Bevestig uw besluit met uw passkey.");
    await screenshots(tab, "filing-approval-passkey-nl");
    await tab.click('[data-testid="approve-with-passkey"]');
    await tab.waitForSelector('[data-testid="filing-status"][data-status="APPROVED"]');

    const { node } = await staff.request(FilingApprovalProofDocument, { id: vat.id });
    const text = (node as { approvalProof: string }).approvalProof;
    const proof = JSON.parse(text) as { decision: { confirmation: string; assertion: { response: { response: { signature: string } } } } };
    expect(proof.decision.confirmation).to.equal("PASSKEY");
    const holds = await runVerifyProof(text);
    expect(holds.code, holds.stdout).to.equal(0);
    expect(holds.stdout).to.include("confirmed with their passkey, whose signature over this decision holds");

    const forged = structuredClone(proof);
    const signature = Buffer.from(forged.decision.assertion.response.response.signature, "base64url");
    signature[signature.length - 1] ^= 0x01;
    forged.decision.assertion.response.response.signature = signature.toString("base64url");
    const refused = await runVerifyProof(JSON.stringify(forged));
    expect(refused.code).to.equal(1);
    expect(refused.stdout).to.include("the passkey's signature does not hold for this decision on this content");
  });
});

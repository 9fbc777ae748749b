// Starting a firm without the operator (SIGNUP=open): signUpFirm makes the firm and mails its admin
// the invitation, which verifies the address; closed servers refuse; one address is limited.
import { AcceptInvitationDocument, SignUpFirmDocument, SignUpOpenDocument, ViewerDocument, unwrap } from "@portaldesk/sdk";
import { expect } from "chai";
import { PASSWORD, TestEnv } from "./support/harness.js";
import { MailCapture } from "./support/mail-capture.js";
import { languagePage, launchBrowser, screenshots, textOf } from "./support/browser.js";

describe("signing up a firm", function () {
  this.timeout(60_000);
  let mail: MailCapture;
  let open: TestEnv;
  let closed: TestEnv;

  before(async () => {
    mail = await MailCapture.start();
    open = await TestEnv.create({ SMTP_URL: mail.url, SIGNUP: "open", SIGNUP_PER_ADDRESS: "4" });
    closed = await TestEnv.create();
  });
  after(async () => {
    await open.close();
    await closed.close();
    await mail.stop();
  });

  it("makes the firm and mails its admin the link that verifies the address and signs in", async () => {
    expect((await open.client().request(SignUpOpenDocument)).signUpOpen).to.equal(true);
    const input = { name: "Visser Boekhouding", adminName: "Eva Visser", adminEmail: "eva@visser.test", adminLanguage: "EN" as const };
    const answer = unwrap((await open.client().request(SignUpFirmDocument, { input })).signUpFirm);
    expect(answer.accepted).to.equal(true);
    const { rows } = await open.sql<{ status: string }>("SELECT u.status FROM users u JOIN firms f ON f.id = u.firm_id WHERE f.name = 'Visser Boekhouding'");
    expect(
      rows.map((r) => r.status),
      "no account works before the address is verified",
    ).to.deep.equal(["INVITED"]);

    const [message] = await mail.waitFor("eva@visser.test");
    expect(message!.subject).to.equal("Invitation to the client portal of Visser Boekhouding");
    const token = decodeURIComponent(/accept-invitation\?token=([^&\s]+)&firm=/.exec(message!.text)![1]!);
    const accepted = unwrap((await open.client().request(AcceptInvitationDocument, { input: { token, password: PASSWORD } })).acceptInvitation);
    const { viewer } = await open.client(accepted.token).request(ViewerDocument);
    expect(viewer).to.deep.include({ email: "eva@visser.test", role: "FIRM_ADMIN" });
    expect(viewer!.firm.name).to.equal("Visser Boekhouding");
    const { rows: audit } = await open.sql<{ details: Record<string, unknown> }>(
      "SELECT details FROM audit_events WHERE action = 'firm.created' AND details->>'name' = 'Visser Boekhouding'",
    );
    expect(audit[0]!.details).to.include({ via: "sign-up", address: "127.0.0.1" });
  });

  it("offers sign-up on the sign-in page, and says to look in the mail (Dutch, in Chromium)", async () => {
    const browser = await launchBrowser();
    try {
      const tab = await languagePage(browser, "nl");
      await tab.goto(open.server.url);
      await (await tab.waitForSelector('[data-testid="sign-up-link"]'))!.click();
      await tab.waitForSelector('[data-testid="sign-up"] input[name="firm"]');
      await tab.type('[data-testid="sign-up"] input[name="firm"]', "De Boer Administraties");
      await tab.type('[data-testid="sign-up"] input[name="name"]', "Sanne de Boer");
      await tab.type('[data-testid="sign-up"] input[name="email"]', "sanne@deboer.test");
      await screenshots(tab, "sign-up-nl");
      await tab.click('[data-testid="sign-up"] button[type="submit"]');
      await tab.waitForSelector('[data-testid="sign-up"] [role="status"]');
      expect(await textOf(tab, '[data-testid="sign-up"] [role="status"]')).to.include("Kijk in uw mail");
      const [message] = await mail.waitFor("sanne@deboer.test");
      expect(message!.subject).to.equal("Uitnodiging voor het klantportaal van De Boer Administraties");
    } finally {
      await browser.close();
    }
  });

  it("names what is wrong, and limits sign-ups per address (typos count too)", async () => {
    const bad = (await open.client().request(SignUpFirmDocument, { input: { name: "X", adminName: "Y", adminEmail: "not-an-address" } })).signUpFirm;
    expect(bad.userErrors[0]).to.deep.include({ code: "INVALID", field: ["input", "adminEmail"] });
    const unnamed = (await open.client().request(SignUpFirmDocument, { input: { name: " ", adminName: "Y", adminEmail: "y@y.test" } })).signUpFirm;
    expect(unnamed.userErrors[0]).to.deep.include({ field: ["input", "name"] });
    const { rows } = await open.sql<{ n: number }>("SELECT count(*)::int AS n FROM firms WHERE name IN ('X', ' ')");
    expect(rows[0]!.n, "a refused sign-up leaves no firm").to.equal(0);
    const limited = (await open.client().request(SignUpFirmDocument, { input: { name: "Vierde", adminName: "Z", adminEmail: "z@z.test" } })).signUpFirm;
    expect(limited.userErrors[0]).to.include({ code: "TOO_MANY_ATTEMPTS" });
    expect(limited.userErrors[0]!.message).to.match(/^Too many sign-ups from here\. Try again in \d+ seconds\.$/);
  });

  it("is closed unless the operator opens it", async () => {
    expect((await closed.client().request(SignUpOpenDocument)).signUpOpen).to.equal(false);
    const refused = (await closed.client().request(SignUpFirmDocument, { input: { name: "Dicht", adminName: "A", adminEmail: "a@dicht.test" } })).signUpFirm;
    expect(refused.userErrors).to.deep.equal([{ code: "WRONG_STATE", message: "Sign-up is closed on this server: ask its operator to set up your firm", field: null }]);
    const { rows } = await closed.sql<{ n: number }>("SELECT count(*)::int AS n FROM firms WHERE name = 'Dicht'");
    expect(rows[0]!.n).to.equal(0);
  });
});

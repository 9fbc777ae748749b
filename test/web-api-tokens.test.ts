// The firm admin's API tokens in a real browser: make a token with some rights for one
// administration, see its secret once, and revoke it — and the token does what the page said.
import { FilingsDocument, ForbiddenError, TrayDocumentsDocument, UnauthenticatedError } from "@portaldesk/sdk";
import { expect } from "chai";
import { browserSuite, languagePage, screenshots, signInThroughPage, textOf, waitForText } from "./support/browser.js";
import { gid, PASSWORD } from "./support/harness.js";

describe("API tokens in the web portal", function () {
  this.timeout(120_000);
  const suite = browserSuite(2);

  it("lets a firm admin make a token for one administration that may only read documents, then revoke it", async () => {
    const { env, world, browser } = suite;
    const tab = await languagePage(browser, "nl");
    tab.on("dialog", (dialog) => void dialog.accept());
    await signInThroughPage(tab, env.server.url, world.admin.email, PASSWORD);
    await tab.click('[data-testid="firm-link"]');
    await waitForText(tab, '[data-testid="api-tokens"]', "Nog geen API-sleutels.");

    await tab.type('[data-testid="new-token"] input[name="name"]', "Scanstraat");
    await tab.click('[data-testid="limit-scopes"]');
    await tab.click('input[name="scope"][value="DOCUMENTS_READ"]');
    await tab.click('[data-testid="limit-administrations"]');
    await tab.click(`input[name="administration"][value="${gid("Administration", world.administrations[0]!.id)}"]`);
    await tab.click('[data-testid="new-token"] button[type="submit"]');
    await tab.waitForSelector('[data-testid="token-secret"] code');
    const secret = await textOf(tab, '[data-testid="token-secret"] code');
    await tab.waitForSelector('[data-testid="api-token"]');
    expect(await textOf(tab, '[data-testid="api-token"]'))
      .to.include("Scanstraat")
      .and.include("documenten lezen")
      .and.include(world.administrations[0]!.name);
    await screenshots(tab, "api-tokens-nl");

    // The token does what the page says.
    const token = env.client(secret);
    const own = gid("Administration", world.administrations[0]!.id);
    expect((await token.request(TrayDocumentsDocument, { administrationId: own, first: 5 })).administration.documents.nodes).to.deep.equal([]);
    expect(await token.request(FilingsDocument, { administrationId: own }).catch((e: unknown) => e)).to.be.instanceOf(ForbiddenError);

    await tab.click('[data-testid="revoke-token"]');
    await tab.waitForFunction(() => document.querySelector('[data-testid="api-token"]')?.classList.contains("revoked"));
    expect(await textOf(tab, '[data-testid="api-token"]')).to.include("Ingetrokken");
    expect(await token.request(TrayDocumentsDocument, { administrationId: own, first: 5 }).catch((e: unknown) => e)).to.be.instanceOf(UnauthenticatedError);
    await tab.close();
  });
});

// A firm's logo and its sign-in branding through the SDK: PNG and SVG uploads redrawn as PNG (an
// SVG's script does not survive), disguised and oversized files refused, the public logo route
// serving logos only, firmBranding before sign-in, the logo in mails, and the sweep keeping it.
import {
  ForbiddenError,
  FirmBrandingDocument,
  InviteUserDocument,
  RemoveFirmLogoDocument,
  SetFirmLogoDocument,
  UpdateFirmSettingsDocument,
  UploadDocumentsDocument,
  UserRole,
  ViewerDocument,
  upload,
  unwrap,
  type PortalDeskClient,
} from "@portaldesk/sdk";
import { expect } from "chai";
import { createHash } from "node:crypto";
import sharp from "sharp";
import { jpegBytes, pdfBytes, pngBytes } from "./support/files.js";
import { gid, TestEnv, type World } from "./support/harness.js";
import { MailCapture } from "./support/mail-capture.js";

const SVG_WITH_SCRIPT = Buffer.from(
  `<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100" onload="alert(1)"><script>alert("hi")</script>` +
    `<rect width="300" height="100" fill="#0b7a4b"/><text x="20" y="60" font-size="40" fill="#fff">Jansen</text></svg>`,
);

describe("a firm's logo and branding", function () {
  this.timeout(60_000);
  let mail: MailCapture;
  let env: TestEnv;
  let world: World;
  let admin: PortalDeskClient;

  before(async () => {
    mail = await MailCapture.start();
    env = await TestEnv.create({ SMTP_URL: mail.url });
    world = await env.createWorld({ administrations: 1 });
    admin = await env.signIn(world.admin.email);
  });
  after(async () => {
    await env.close();
    await mail.stop();
  });

  const setLogo = async (bytes: Buffer, filename: string) => (await admin.request(SetFirmLogoDocument, { input: { logo: upload(bytes, { filename }) } })).setFirmLogo;
  const fetchLogo = (url: string) => fetch(url);

  it("redraws a PNG within 600 × 200 and serves it publicly, cached for good", async () => {
    const firm = unwrap(await setLogo(await pngBytes(1200, 300), "logo.png")).firm!;
    expect(firm.logoUrl).to.match(new RegExp(`^${env.server.url}/branding/[0-9a-f]{64}\\.png$`));
    const response = await fetchLogo(firm.logoUrl!);
    expect(response.status).to.equal(200);
    expect(response.headers.get("content-type")).to.equal("image/png");
    expect(response.headers.get("cache-control")).to.include("immutable");
    const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
    expect(meta).to.include({ format: "png", width: 600, height: 150 });
    const { viewer } = await admin.request(ViewerDocument);
    expect(viewer!.firm.logoUrl).to.equal(firm.logoUrl);
  });

  it("keeps nothing of an SVG but its picture: its script is gone", async () => {
    const firm = unwrap(await setLogo(SVG_WITH_SCRIPT, "logo.svg")).firm!;
    const bytes = Buffer.from(await (await fetchLogo(firm.logoUrl!)).arrayBuffer());
    expect(bytes.subarray(1, 4).toString()).to.equal("PNG");
    expect(bytes.toString("latin1")).to.not.include("alert");
    const { dominant } = await sharp(bytes).stats();
    expect(dominant.g, "the picture is drawn (green)").to.be.greaterThan(dominant.r);
  });

  it("refuses disguised, other and oversized files, naming them, and leaves the logo as it was", async () => {
    const before = (await admin.request(ViewerDocument)).viewer!.firm.logoUrl;
    const cases: Array<[Buffer, string, string]> = [
      [Buffer.from("just some text, not an image"), "logo.png", '"logo.png" is not a PNG or SVG image'],
      [await jpegBytes(), "logo.jpg", '"logo.jpg" is not a PNG or SVG image'],
      [await pdfBytes(1), "logo.svg", '"logo.svg" is not a PNG or SVG image'],
      [Buffer.concat([await pngBytes(10, 10), Buffer.alloc(1024 * 1024)]), "huge.png", '"huge.png" is too large: a logo has at most 1024 KB'],
      [Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'><rect"), "broken.svg", '"broken.svg" cannot be read as a SVG image'],
    ];
    for (const [bytes, filename, message] of cases) {
      const refused = await setLogo(bytes, filename);
      expect(refused.userErrors, filename).to.have.length(1);
      expect(refused.userErrors[0]!.message, filename).to.include(message);
      expect(refused.userErrors[0]!.field).to.deep.equal(["input", "logo"]);
    }
    expect((await admin.request(ViewerDocument)).viewer!.firm.logoUrl).to.equal(before);
    const accountant = await env.signIn(world.accountant.email);
    const notAdmin = await accountant.request(SetFirmLogoDocument, { input: { logo: upload(await pngBytes(), { filename: "logo.png" }) } }).catch((e: unknown) => e);
    expect(notAdmin).to.be.instanceOf(ForbiddenError);
  });

  it("serves only logos at /branding: a document's hash is not found", async () => {
    const pdf = await pdfBytes(1);
    unwrap(
      (
        await admin.request(UploadDocumentsDocument, {
          input: { administrationId: gid("Administration", world.administrations[0]!.id), files: [upload(pdf, { filename: "factuur.pdf" })] },
        })
      ).uploadDocuments,
    );
    const sha = createHash("sha256").update(pdf).digest("hex");
    expect((await fetch(`${env.server.url}/branding/${sha}.png`)).status).to.equal(404);
    expect((await fetch(`${env.server.url}/branding/..%2F..%2Fetc%2Fpasswd`)).status).to.equal(404);
  });

  it("shows the firm's name, colour and logo before sign-in, and puts the logo and colour in its mails", async () => {
    unwrap((await admin.request(UpdateFirmSettingsDocument, { input: { displayName: "Jansen & Partners", brandColour: "#0b7a4b" } })).updateFirmSettings);
    const { viewer } = await admin.request(ViewerDocument);
    const branding = (await env.client().request(FirmBrandingDocument, { id: viewer!.firm.id })).firmBranding;
    expect(branding).to.deep.equal({ displayName: "Jansen & Partners", brandColour: "#0b7a4b", logoUrl: viewer!.firm.logoUrl });
    expect((await env.client().request(FirmBrandingDocument, { id: gid("Firm", "00000000-0000-4000-8000-000000000000") })).firmBranding).to.equal(null);
    expect((await env.client().request(FirmBrandingDocument, { id: gid("User", world.admin.id) })).firmBranding, "only a firm's ID").to.equal(null);

    unwrap((await admin.request(InviteUserDocument, { input: { email: "branded@example.test", name: "Branded Person", role: UserRole.Accountant } })).inviteUser);
    const [message] = await mail.waitFor("branded@example.test");
    expect(message!.html).to.include(`<img src="${viewer!.firm.logoUrl}" alt="Jansen &amp; Partners"`);
    expect(message!.html).to.include("background: #0b7a4b");
    expect(message!.text).to.match(new RegExp(`accept-invitation\\?token=[^&\\s]+&firm=${viewer!.firm.id}`));
  });

  it("keeps the logo through the sweep of unreferenced blobs, and stops serving it once removed", async () => {
    const url = (await admin.request(ViewerDocument)).viewer!.firm.logoUrl!;
    await env.server.services.maintenance.sweepBlobs(new Date(Date.now() + 86_400_000));
    expect((await fetch(url)).status, "the sweep keeps a logo in use").to.equal(200);
    const removed = unwrap((await admin.request(RemoveFirmLogoDocument)).removeFirmLogo).firm!;
    expect(removed.logoUrl).to.equal(null);
    expect((await fetch(url)).status).to.equal(404);
    expect((await admin.request(RemoveFirmLogoDocument)).removeFirmLogo.userErrors[0]).to.include({ code: "WRONG_STATE" });
  });
});

import {
  AcceptInvitationDocument,
  InviteUserDocument,
  Language,
  NotificationDelivery,
  NotificationKind,
  NotificationPreferencesDocument,
  NotificationsDocument,
  ReturnDocumentDocument,
  TrayKind,
  UpdateNotificationPreferencesDocument,
  UploadDocumentsDocument,
  UserErrorCode,
  UserRole,
  unwrap,
  upload,
  type PortalDeskClient,
} from "@portaldesk/sdk";
import { expect } from "chai";
import fs from "node:fs/promises";
import path from "node:path";
import { pdfBytes } from "./support/files.js";
import { eventually, gid, TestEnv, uuidOf, type World } from "./support/harness.js";
import { MailCapture } from "./support/mail-capture.js";

describe("mail", () => {
  let mail: MailCapture;
  let env: TestEnv;
  let world: World;
  let staff: PortalDeskClient;
  let client: PortalDeskClient;
  let administrationId: string;

  before(async () => {
    mail = await MailCapture.start();
    env = await TestEnv.create({ SMTP_URL: mail.url, MAIL_FROM: "Kantoor <kantoor@example.test>" });
    world = await env.createWorld({ administrations: 1 });
    staff = await env.signIn(world.accountant.email);
    client = await env.signIn(world.clients[0]!.email);
    administrationId = gid("Administration", world.administrations[0]!.id);
  });
  after(async () => {
    await env.close();
    await mail.stop();
  });

  /** The firm returns a fresh document to the client's desk: a DOCUMENT_RETURNED notification. */
  async function returnADocument(reason: string): Promise<string> {
    const uploaded = unwrap(
      (await staff.request(UploadDocumentsDocument, { input: { administrationId, tray: TrayKind.Purchase, files: [upload(await pdfBytes(1), { filename: `${reason}.pdf` })] } }))
        .uploadDocuments,
    );
    const id = uploaded.documents[0]!.id;
    unwrap((await staff.request(ReturnDocumentDocument, { input: { documentId: id, reason } })).returnDocument);
    return id;
  }

  it("mails an invitation in the invitee's language with a working link, and keeps no copy of the link once sent", async () => {
    const admin = await env.signIn(world.admin.email);
    const invited = unwrap(
      (
        await admin.request(InviteUserDocument, {
          input: { email: "new.client@example.test", name: "Nieuwe <Klant>", role: UserRole.Client, administrationId, language: Language.En },
        })
      ).inviteUser,
    );
    const [message] = await mail.waitFor("new.client@example.test");
    expect(message!.subject).to.equal(`Invitation to the client portal of ${world.firm.name}`);
    // From the firm the client knows, at the address MAIL_FROM gives (the firm set no sender name).
    expect(message!.from).to.equal(`"${world.firm.name}" <kantoor@example.test>`);
    expect(message!.language).to.equal("en");
    expect(message!.text).to.include("Dear Nieuwe <Klant>,");
    expect(message!.html).to.include("Dear Nieuwe &lt;Klant&gt;,").and.not.include("<Klant>");
    const link = /https?:\/\/\S+accept-invitation\?token=([^&\s]+)/.exec(message!.text);
    expect(link, "the mail holds the invitation link").to.not.equal(null);
    expect(decodeURIComponent(link![1]!)).to.equal(invited.invitationToken);
    unwrap((await env.client().request(AcceptInvitationDocument, { input: { token: decodeURIComponent(link![1]!), password: "a long enough password" } })).acceptInvitation);

    // The server has the mail before the job commits that it was sent.
    const rows = await eventually(async () => {
      const { rows: found } = await env.sql<{ text_body: string | null; sent_at: Date | null }>(
        "SELECT text_body, sent_at FROM outgoing_mails WHERE to_address = 'new.client@example.test'",
      );
      return found[0]?.sent_at ? found : null;
    });
    expect(rows).to.have.length(1);
    expect(rows[0]!.sent_at).to.be.instanceOf(Date);
    expect(rows[0]!.text_body, "the secret link is not kept after sending").to.equal(null);
  });

  it("mails a notification at once by default, in Dutch and HTML, and records the mail in the audit trail", async () => {
    const documentId = await returnADocument("Onleesbaar");
    const [message] = await mail.waitFor(world.clients[0]!.email);
    expect(message!.subject).to.equal('"Onleesbaar.pdf" is teruggezet op uw bureau');
    expect(message!.text).to.include("Onleesbaar").and.include(`/#/documents/${documentId}`);
    expect(message!.html).to.include(`href="${env.server.url}/#/documents/${documentId}"`);
    const audit = await eventually(async () => {
      const { rows } = await env.sql<{ details: { to: string; steps: string[]; mailKind: string } }>(
        "SELECT details FROM audit_events WHERE action = 'mail.sent' AND administration_id = $1 AND subject_id = $2 AND details->>'to' = $3",
        [world.administrations[0]!.id, uuidOf(documentId), world.clients[0]!.email],
      );
      return rows[0];
    });
    expect(audit.details).to.deep.include({ to: world.clients[0]!.email, steps: [NotificationKind.DocumentReturned], mailKind: "NOTIFICATION" });
  });

  it("lets each person choose per kind: at once, a daily digest sent once even by two instances, or no mail", async () => {
    const before = mail.to(world.clients[0]!.email).length;
    const prefs = await client.request(NotificationPreferencesDocument);
    // A client's own kinds only, not the firm's.
    const kinds = prefs.notificationPreferences.map((p) => p.kind);
    expect(kinds).to.include.members([
      NotificationKind.DocumentReturned,
      NotificationKind.FilingApprovalRequested,
      NotificationKind.FilingApprovalWithdrawn,
      NotificationKind.FiguresUpdated,
    ]);
    expect(kinds).to.not.include(NotificationKind.FilingApproved);
    expect(kinds).to.not.include(NotificationKind.InvitationAccepted);
    expect(prefs.notificationPreferences.every((p) => p.isDefault && p.delivery === NotificationDelivery.Immediate)).to.equal(true);

    const set = (delivery: NotificationDelivery) =>
      client.request(UpdateNotificationPreferencesDocument, { input: { preferences: [{ kind: NotificationKind.DocumentReturned, delivery }] } });
    const updated = unwrap((await set(NotificationDelivery.DailyDigest)).updateNotificationPreferences);
    expect(updated.preferences!.find((p) => p.kind === NotificationKind.DocumentReturned)).to.deep.include({ delivery: NotificationDelivery.DailyDigest, isDefault: false });

    await returnADocument("Eerste");
    await returnADocument("Tweede");
    const second = await env.startServer({ RUN_JOBS: "false" });
    const sent = await Promise.all([env.server.services.outbox.sendDigests(), second.services.outbox.sendDigests()]);
    expect(sent[0] + sent[1], "one digest, whichever instance sends it").to.equal(1);
    const messages = await mail.waitFor(world.clients[0]!.email, before + 1);
    const digest = messages[before]!;
    expect(digest.subject).to.equal("Uw overzicht van vandaag: 2 meldingen");
    expect(digest.text).to.include('"Eerste.pdf" is teruggezet').and.include('"Tweede.pdf" is teruggezet');
    expect(await env.server.services.outbox.sendDigests(), "nothing left for a second digest").to.equal(0);

    unwrap((await set(NotificationDelivery.Off)).updateNotificationPreferences);
    await returnADocument("Stil");
    const inPortal = await client.request(NotificationsDocument, { first: 1 });
    expect(inPortal.notifications.nodes[0]!.title).to.equal('"Stil.pdf" is teruggezet op uw bureau');
    expect(await env.server.services.outbox.sendDigests()).to.equal(0);
    await new Promise((r) => setTimeout(r, 1500));
    expect(mail.to(world.clients[0]!.email)).to.have.length(before + 1);
  });

  it("refuses preferences for kinds the person never receives, and duplicates", async () => {
    const wrongKind = await client.request(UpdateNotificationPreferencesDocument, {
      input: { preferences: [{ kind: NotificationKind.FilingApproved, delivery: NotificationDelivery.Off }] },
    });
    expect(wrongKind.updateNotificationPreferences.userErrors[0]).to.deep.include({ code: UserErrorCode.Invalid, field: ["input", "preferences", "0", "kind"] });
    const twice = await staff.request(UpdateNotificationPreferencesDocument, {
      input: {
        preferences: [
          { kind: NotificationKind.FilingApproved, delivery: NotificationDelivery.Off },
          { kind: NotificationKind.FilingApproved, delivery: NotificationDelivery.Immediate },
        ],
      },
    });
    expect(twice.updateNotificationPreferences.userErrors[0]?.field).to.deep.equal(["input", "preferences", "1", "kind"]);
  });

  it("retries a mail the SMTP server refuses for now, and sends it once", async () => {
    unwrap(
      (
        await client.request(UpdateNotificationPreferencesDocument, {
          input: { preferences: [{ kind: NotificationKind.DocumentReturned, delivery: NotificationDelivery.Immediate }] },
        })
      ).updateNotificationPreferences,
    );
    mail.failNext(world.clients[0]!.email, 1, "Later.pdf");
    const documentId = await returnADocument("Later");
    const later = () => mail.to(world.clients[0]!.email).filter((m) => m.subject.includes("Later.pdf"));
    await eventually(async () => later().length > 0, 45_000);
    // The server has the mail before the job commits that it was sent: wait for that too.
    const rows = await eventually(async () => {
      const { rows: found } = await env.sql<{ attempts: number; sent_at: Date | null }>("SELECT attempts, sent_at FROM outgoing_mails WHERE subject_id = $1 AND to_address = $2", [
        uuidOf(documentId),
        world.clients[0]!.email,
      ]);
      return found[0]?.sent_at ? found : null;
    });
    expect(rows).to.have.length(1);
    expect(rows[0]!.attempts, "refused once, sent on the retry").to.equal(2);
    await new Promise((r) => setTimeout(r, 1000));
    expect(later(), "sent once").to.have.length(1);
  }).timeout(60_000);
});

describe("mail without SMTP", () => {
  it("writes each mail into the data folder as an .eml file, so the demo shows it", async () => {
    const env = await TestEnv.create();
    try {
      const world = await env.createWorld({ administrations: 1 });
      const admin = await env.signIn(world.admin.email);
      unwrap((await admin.request(InviteUserDocument, { input: { email: "folder@example.test", name: "Folder", role: UserRole.Accountant } })).inviteUser);
      const folder = path.join(env.dataDir, "mail");
      const files = await eventually(async () => {
        const found = (await fs.readdir(folder).catch(() => [])).filter((f) => f.endsWith(".eml"));
        return found.length ? found : null;
      });
      expect(files).to.have.length(1);
      const eml = await fs.readFile(path.join(folder, files[0]!), "utf8");
      expect(eml)
        .to.match(/^To: folder@example\.test$/m)
        .and.match(/^Subject: /m)
        .and.include("Content-Type: text/html");
    } finally {
      await env.close();
    }
  });
});

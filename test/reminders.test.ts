import {
  DeskSummariesDocument,
  FileDocumentsDocument,
  ForbiddenError,
  NotificationDelivery,
  NotificationKind,
  RemindClientDocument,
  ReturnDocumentDocument,
  TrayKind,
  UpdateNotificationPreferencesDocument,
  UploadDocumentsDocument,
  UserErrorCode,
  unwrap,
  upload,
  type PortalDeskClient,
} from "@portaldesk/sdk";
import { expect } from "chai";
import { pdfBytes } from "./support/files.js";
import { gid, TestEnv, type TestUser, type World } from "./support/harness.js";
import { MailCapture } from "./support/mail-capture.js";

describe("desk reminders and the daily digest", () => {
  let mail: MailCapture;
  let env: TestEnv;
  let world: World;
  let staff: PortalDeskClient;
  let silent: TestUser; // mail OFF for reminders
  let digest: TestUser; // daily digest for everything
  const DAY = 86_400_000;

  before(async () => {
    mail = await MailCapture.start();
    env = await TestEnv.create({ SMTP_URL: mail.url, REMINDER_DESK_AGE: "3d" });
    world = await env.createWorld({ administrations: 3 });
    staff = await env.signIn(world.accountant.email);
    silent = await env.addClient(world, 0, "silent");
    digest = await env.addClient(world, 0, "digest");
    const set = async (user: TestUser, kinds: NotificationKind[], delivery: NotificationDelivery) =>
      unwrap(
        (await (await env.signIn(user.email)).request(UpdateNotificationPreferencesDocument, { input: { preferences: kinds.map((kind) => ({ kind, delivery })) } }))
          .updateNotificationPreferences,
      );
    await set(silent, [NotificationKind.DeskReminder], NotificationDelivery.Off);
    await set(digest, [NotificationKind.DeskReminder, NotificationKind.DocumentReturned], NotificationDelivery.DailyDigest);
  });
  after(async () => {
    await env.close();
    await mail.stop();
  });

  /** Puts a document on administration `index`'s desk, uploaded `ageDays` ago. */
  async function onDesk(index: number, ageDays: number): Promise<string> {
    const administrationId = gid("Administration", world.administrations[index]!.id);
    const uploaded = unwrap(
      (await staff.request(UploadDocumentsDocument, { input: { administrationId, files: [upload(await pdfBytes(1), { filename: `desk-${ageDays}.pdf` })] } })).uploadDocuments,
    );
    const id = uploaded.documents[0]!.id;
    await env.sql("UPDATE documents SET uploaded_at = now() - make_interval(days => $2) WHERE id = $1", [Buffer.from(id, "base64url").toString().split(":")[1], ageDays]);
    return id;
  }

  const remindersOf = async (user: TestUser) =>
    (await env.sql<{ title: string; body: string }>("SELECT title, body FROM notifications WHERE kind = 'DESK_REMINDER' AND recipient_user_id = $1", [user.id])).rows;

  it("reminds the clients of old desks once a day, by their preferences, and skips empty and fresh desks", async () => {
    await onDesk(0, 10);
    await onDesk(0, 5);
    await onDesk(1, 1); // too fresh to remind of
    // administration 2: empty desk
    const [first, second] = await Promise.all([env.server.services.reminders.remindAll(), (await env.startServer({ RUN_JOBS: "false" })).services.reminders.remindAll()]);
    expect(first + second, "three people reminded, whichever instance did it").to.equal(3);
    expect(await env.server.services.reminders.remindAll(), "not twice in one day").to.equal(0);

    const [reminder] = await mail.waitFor(world.clients[0]!.email);
    expect(reminder!.subject).to.equal("Er liggen 2 documenten op uw bureau");
    expect(reminder!.text).to.include(`${world.administrations[0]!.name}: 2, het oudste 10 dagen oud`);
    expect(await remindersOf(silent), "OFF: in the portal, not by mail").to.have.length(1);
    expect(mail.to(silent.email)).to.deep.equal([]);
    expect(await remindersOf(world.clients[1]!)).to.deep.equal([]);
    expect(await remindersOf(world.clients[2]!)).to.deep.equal([]);
    await new Promise((r) => setTimeout(r, 1000));
    expect(mail.to(world.clients[0]!.email), "one mail per client per day").to.have.length(1);
  });

  it("lets staff remind now, still at most once a day per person, and shows the desk per administration", async () => {
    const administrationId = gid("Administration", world.administrations[1]!.id);
    const now = unwrap((await staff.request(RemindClientDocument, { input: { administrationId } })).remindClient);
    expect(now.reminded!.map((u) => u.email)).to.deep.equal([world.clients[1]!.email]);
    const again = unwrap((await staff.request(RemindClientDocument, { input: { administrationId } })).remindClient);
    expect(again.reminded).to.deep.equal([]);
    expect(again.alreadyRemindedToday!.map((u) => u.email)).to.deep.equal([world.clients[1]!.email]);
    const empty = await staff.request(RemindClientDocument, { input: { administrationId: gid("Administration", world.administrations[2]!.id) } });
    expect(empty.remindClient.userErrors[0]?.code).to.equal(UserErrorCode.WrongState);
    const client = await env.signIn(world.clients[1]!.email);
    expect(await client.request(RemindClientDocument, { input: { administrationId } }).catch((e: unknown) => e)).to.be.instanceOf(ForbiddenError);

    const summaries = (await staff.request(DeskSummariesDocument, { first: 10 })).administrations.nodes;
    const byName = new Map(summaries.map((s) => [s.name, s.deskSummary]));
    expect(byName.get(world.administrations[0]!.name)).to.deep.include({ documentCount: 2, oldestAgeDays: 10 });
    expect(byName.get(world.administrations[0]!.name)!.lastReminderAt).to.be.a("string");
    expect(byName.get(world.administrations[2]!.name)).to.deep.include({ documentCount: 0, oldestUploadedAt: null, oldestAgeDays: null, lastReminderAt: null });
    const asClient = (await client.request(DeskSummariesDocument, { first: 10 })).administrations.nodes;
    expect(asClient.map((a) => [a.name, a.deskSummary.documentCount, a.deskSummary.lastReminderAt])).to.deep.equal([[world.administrations[1]!.name, 1, null]]);
  });

  it("gathers a day's notifications of different kinds into one digest mail", async () => {
    // The digest user got the reminder (digest); now the firm returns a document too.
    const id = await onDesk(0, 0);
    unwrap((await staff.request(FileDocumentsDocument, { input: { documentIds: [id], tray: TrayKind.Purchase } })).fileDocuments);
    unwrap((await staff.request(ReturnDocumentDocument, { input: { documentId: id, reason: "Dubbel" } })).returnDocument);
    expect(mail.to(digest.email)).to.deep.equal([]);
    expect(await env.server.services.outbox.sendDigests(new Date(Date.now() + DAY))).to.equal(1);
    const [combined] = await mail.waitFor(digest.email);
    expect(combined!.subject).to.equal("Uw overzicht van vandaag: 2 meldingen");
    expect(combined!.text).to.include("op uw bureau").and.include('"desk-0.pdf" is teruggezet op uw bureau').and.include("Dubbel");
  });
});

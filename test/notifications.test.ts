import {
  AcceptInvitationDocument,
  InviteUserDocument,
  MarkNotificationsReadDocument,
  NotificationReceivedDocument,
  NotificationsDocument,
  SignOutDocument,
  UnauthenticatedError,
  UnreadNotificationCountDocument,
  UserRole,
  NotificationKind,
  createClient,
  unwrap,
  type PortalDeskClient,
} from "@portaldesk/sdk";
import { expect } from "chai";
import { WebSocket } from "ws";
import { inTransaction } from "../src/db/transaction.js";
import { NotificationKind as ServerKind } from "../src/modules/notifications/notification.service.js";
import { gid, nextWithin, settle, staysQuiet, TestEnv, type World } from "./support/harness.js";

describe("notifications and live events", () => {
  let env: TestEnv;
  let world: World;
  let other: World;

  before(async () => {
    env = await TestEnv.create();
    world = await env.createWorld();
    other = await env.createWorld();
  });
  after(() => env.close());

  async function inviteAndAccept(admin: PortalDeskClient, email: string, via: PortalDeskClient) {
    const invited = unwrap(
      (
        await admin.request(InviteUserDocument, {
          input: { email, name: "Invitee", role: UserRole.Client, administrationId: gid("Administration", world.administrations[0]!.id) },
        })
      ).inviteUser,
    );
    return unwrap((await via.request(AcceptInvitationDocument, { input: { token: invited.invitationToken!, password: "long enough password" } })).acceptInvitation);
  }

  it("delivers a notification to the right subscriber over WebSocket, and not to others", async () => {
    const admin = await env.signIn(world.admin.email);
    const adminEvents = admin.subscribe(NotificationReceivedDocument);
    const bystander = await env.signIn(world.accountant.email);
    const bystanderEvents = bystander.subscribe(NotificationReceivedDocument);
    const foreign = await env.signIn(other.admin.email);
    const foreignEvents = foreign.subscribe(NotificationReceivedDocument);
    // Let the three sockets connect and subscribe before the event.
    await settle();

    await inviteAndAccept(admin, "live@example.test", env.client());

    const event = await nextWithin(adminEvents);
    expect(event.notificationReceived.kind).to.equal(NotificationKind.InvitationAccepted);
    expect(event.notificationReceived.title).to.equal("Invitee heeft de uitnodiging aangenomen"); // the admin reads Dutch
    expect(event.notificationReceived.subject?.__typename).to.equal("User");
    expect(await staysQuiet(bystanderEvents)).to.equal(true);
    expect(await staysQuiet(foreignEvents)).to.equal(true);
    await adminEvents.return!();
  });

  it("lists notifications with an unread count and marks them read", async () => {
    const admin = await env.signIn(world.admin.email);
    const before = await admin.request(NotificationsDocument, {});
    expect(before.unreadNotificationCount).to.be.greaterThan(0);
    expect(before.notifications.nodes[0]!.read).to.equal(false);
    const first = before.notifications.nodes[0]!;
    const marked = unwrap((await admin.request(MarkNotificationsReadDocument, { input: { ids: [first.id] } })).markNotificationsRead);
    expect(marked.notifications.map((n) => n.id)).to.deep.equal([first.id]);
    expect(marked.notifications[0]!.readAt).to.be.a("string");
    expect(marked.unreadCount).to.equal(before.unreadNotificationCount - 1);
    const unreadOnly = await admin.request(NotificationsDocument, { unreadOnly: true });
    expect(unreadOnly.notifications.nodes.map((n) => n.id)).not.to.include(first.id);
    unwrap((await admin.request(MarkNotificationsReadDocument, { input: {} })).markNotificationsRead);
    expect((await admin.request(UnreadNotificationCountDocument)).unreadNotificationCount).to.equal(0);

    // Someone else's notification ids are simply not theirs to mark.
    const foreign = await env.signIn(other.admin.email);
    const result = unwrap((await foreign.request(MarkNotificationsReadDocument, { input: { ids: [first.id] } })).markNotificationsRead);
    expect(result.notifications).to.deep.equal([]);
  });

  it("never delivers an event of a rolled-back transaction, and delivers the committed one", async () => {
    const admin = await env.signIn(world.admin.email);
    const events = admin.subscribe(NotificationReceivedDocument);
    await settle();
    const { dataSource, notifications } = env.server.services;
    const notify = (name: string) => (manager: Parameters<Parameters<typeof inTransaction>[1]>[0]) =>
      notifications.notify(manager, { recipientUserIds: [world.admin.id], firmId: world.firm.id, kind: ServerKind.INVITATION_ACCEPTED, params: { name, email: "x@example.test" } });

    await inTransaction(dataSource, async (manager) => {
      await notify("rolled back")(manager);
      throw new Error("abort");
    }).catch(() => undefined);
    await inTransaction(dataSource, notify("committed"));

    const event = await nextWithin(events);
    expect(event.notificationReceived.title).to.equal("committed heeft de uitnodiging aangenomen");
    expect(await staysQuiet(events)).to.equal(true);
    const { rows } = await env.sql("SELECT 1 FROM notifications WHERE title LIKE 'rolled back%'");
    expect(rows).to.have.length(0);
    await events.return!();
  });

  it("delivers events across two server instances on one database", async () => {
    const second = await env.startServer();
    const adminOnSecond = await env.signIn(world.admin.email, undefined, second);
    const events = adminOnSecond.subscribe(NotificationReceivedDocument);
    await settle();
    // The change happens through the first instance.
    const adminOnFirst = await env.signIn(world.admin.email);
    await inviteAndAccept(adminOnFirst, "second-instance@example.test", env.client());
    const event = await nextWithin(events);
    expect(event.notificationReceived.kind).to.equal(NotificationKind.InvitationAccepted);
    await events.return!();
  });

  it("refuses a subscription without a valid token, and ends it when the session signs out", async () => {
    const anonymous = createClient({ url: `${env.server.url}/graphql`, webSocketImpl: WebSocket });
    const refused = await nextWithin(anonymous.subscribe(NotificationReceivedDocument)).catch((e: unknown) => e);
    expect(refused).to.be.instanceOf(UnauthenticatedError);
    await anonymous.dispose();

    const bad = createClient({ url: `${env.server.url}/graphql`, token: "pds_wrong", webSocketImpl: WebSocket });
    expect(await nextWithin(bad.subscribe(NotificationReceivedDocument)).catch((e: unknown) => e)).to.be.instanceOf(UnauthenticatedError);
    await bad.dispose();

    const admin = await env.signIn(world.admin.email);
    const events = admin.subscribe(NotificationReceivedDocument);
    await settle();
    await admin.request(SignOutDocument);
    const ended = await nextWithin(events).catch((e: unknown) => e);
    expect(ended).to.be.instanceOf(UnauthenticatedError);
  });
});

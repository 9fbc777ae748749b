// Firms made by the operator's command, and passwords a person can get back and change — through
// the SDK, with mail caught by a real SMTP server.
import {
  AcceptInvitationDocument,
  AdministrationsDocument,
  ConfirmEmailChangeDocument,
  ConfirmTotpEnrolmentDocument,
  StartTotpEnrolmentDocument,
  UnauthenticatedError,
  RequestEmailChangeDocument,
  ArchiveRootDocument,
  NotFoundError,
  NotificationReceivedDocument,
  NotificationsDocument,
  SearchDocument,
  TrayKind,
  UploadDocumentsDocument,
  upload,
  ChangePasswordDocument,
  CreateAdministrationDocument,
  NodeDocument,
  RequestPasswordResetDocument,
  RevokeSessionDocument,
  SignOutEverywhereDocument,
  UpdateFirmSettingsDocument,
  InviteUserDocument,
  UserRole,
  ViewerSessionsDocument,
  createClient,
  ResetPasswordDocument,
  UserErrorCode,
  UsersDocument,
  ViewerDocument,
  SignInDocument,
  unwrap,
  type PortalDeskClient,
} from "@portaldesk/sdk";
import { expect } from "chai";
import { generate } from "otplib";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { APP_ROLE, withRole } from "../src/db/app-role.js";
import { TEST_APP_PASSWORD } from "./support/global-fixture.js";
import { eventually, gid, nextWithin, PASSWORD, settle, staysQuiet, TestEnv, type World } from "./support/harness.js";
import { pdfBytes } from "./support/files.js";
import { MailCapture } from "./support/mail-capture.js";
import WebSocket from "ws";

const run = promisify(execFile);

describe("firms and accounts", function () {
  this.timeout(120_000);
  let mail: MailCapture;
  let env: TestEnv;
  let world: World;

  before(async () => {
    mail = await MailCapture.start();
    env = await TestEnv.create({ SMTP_URL: mail.url, PASSWORD_RESET_PER_ADDRESS: "8", PASSWORD_RESET_PER_EMAIL: "3" });
    world = await env.createWorld({ administrations: 1 });
  });
  after(async () => {
    await env.close();
    await mail.stop();
  });

  /** Runs an operator command (npm run firm:… / user:…) against this environment's database. */
  async function command(script: "firm" | "user", args: string[], extra: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    const environment = {
      ...process.env,
      DATABASE_URL: withRole(env.dbUrl, APP_ROLE, TEST_APP_PASSWORD),
      DATABASE_OWNER_URL: env.dbUrl,
      DATA_DIR: env.dataDir,
      PUBLIC_URL: env.server.url,
      SMTP_URL: "",
      LOG_LEVEL: "silent",
      ...extra,
    };
    try {
      const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", `src/scripts/${script}.ts`, ...args], { env: environment });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  /** Makes a firm with the command and returns its admin, signed in after accepting the printed link. */
  async function firmByCommand(name: string, adminEmail: string): Promise<PortalDeskClient> {
    const made = await command("firm", ["create", "--name", name, "--admin-email", adminEmail, "--admin-name", `Admin of ${name}`]);
    expect(made.code, made.stderr).to.equal(0);
    expect(made.stdout).to.include(`Firm "${name}" created`);
    const token = /accept-invitation\?token=([^&\s]+)/.exec(made.stdout)?.[1];
    expect(token, "the invitation link is printed when no SMTP server is set").to.be.a("string");
    const accepted = unwrap((await env.client().request(AcceptInvitationDocument, { input: { token: decodeURIComponent(token!), password: PASSWORD } })).acceptInvitation);
    expect(accepted.viewer).to.deep.include({ email: adminEmail, role: "FIRM_ADMIN" });
    return env.signIn(adminEmail);
  }

  describe("firms made by the operator", () => {
    it("creates a firm whose admin accepts the printed link and signs in; firm:list shows it; wrong use is explained", async () => {
      const admin = await firmByCommand("Jansen Administratie", "anna@jansen.test");
      const { viewer } = await admin.request(ViewerDocument);
      expect(viewer!.firm.name).to.equal("Jansen Administratie");
      const listed = await command("firm", ["list"]);
      expect(listed.code).to.equal(0);
      expect(listed.stdout).to.match(/Jansen Administratie {2}\(created \d{4}-\d{2}-\d{2}; 1 admin\(s\), 1 staff, 0 client users, 0 administrations\)/);

      const missing = await command("firm", ["create", "--name", "Half"]);
      expect(missing.code).to.equal(64);
      expect(missing.stderr).to.include("--name and --admin-email are needed");
      const unknownOption = await command("firm", ["create", "--name", "X", "--admin-email", "x@x.test", "--colour", "red"]);
      expect(unknownOption.code).to.equal(64);
      const badEmail = await command("firm", ["create", "--name", "X", "--admin-email", "not-an-address"]);
      expect(badEmail.code).to.equal(65);
      expect(badEmail.stderr).to.include('"not-an-address" is not an email address');
      const { rows } = await env.sql<{ n: number }>("SELECT count(*)::int AS n FROM firms WHERE name = 'X'");
      expect(rows[0]!.n, "a refused firm leaves nothing behind").to.equal(0);
    });

    it("mails the new admin the invitation when SMTP is set, naming the firm", async () => {
      const made = await command("firm", ["create", "--name", "De Vries & Co", "--admin-email", "piet@devries.test", "--language", "en"], { SMTP_URL: mail.url });
      expect(made.code, made.stderr).to.equal(0);
      expect(made.stdout).to.include("The invitation is mailed").and.not.include("token=");
      // The mail job is worked by the running server (the command works none).
      const [message] = await mail.waitFor("piet@devries.test");
      expect(message!.subject).to.equal("Invitation to the client portal of De Vries & Co");
      expect(message!.text).to.include("De Vries & Co has been set up in PortalDesk, with you as its administrator");
      const token = /accept-invitation\?token=([^&\s]+)/.exec(message!.text)![1]!;
      unwrap((await env.client().request(AcceptInvitationDocument, { input: { token: decodeURIComponent(token), password: PASSWORD } })).acceptInvitation);
    });

    it("keeps two firms made this way apart: lists, node(id), counts, search, notifications and subscriptions show nothing of the other", async () => {
      const first = await firmByCommand("Eerste Kantoor", "admin@eerste.test");
      const second = await firmByCommand("Tweede Kantoor", "admin@tweede.test");
      const mine = unwrap((await first.request(CreateAdministrationDocument, { input: { name: "Bakkerij Eerste" } })).createAdministration).administration!;
      const theirs = unwrap((await second.request(CreateAdministrationDocument, { input: { name: "Bakkerij Tweede" } })).createAdministration).administration!;
      const firstList = await first.request(AdministrationsDocument, { first: 50 });
      expect(firstList.administrations.nodes.map((a) => a.name)).to.deep.equal(["Bakkerij Eerste"]);
      expect(firstList.administrations.totalCount).to.equal(1);
      const people = await first.request(UsersDocument, { first: 50 });
      expect(people.users.nodes.map((u) => u.email)).to.deep.equal(["admin@eerste.test"]);
      for (const id of [theirs.id, (await second.request(ViewerDocument)).viewer!.id, (await second.request(ViewerDocument)).viewer!.firm.id]) {
        expect((await first.request(NodeDocument, { id })).node, "another firm's object").to.equal(null);
      }
      const own = await first.request(NodeDocument, { id: mine.id });
      expect(own.node).to.include({ id: mine.id });

      // Search: the same file name in both firms' archives; each finds its own only, and cannot search the other's.
      const file = async (client: PortalDeskClient, administrationId: string) => {
        const root = (await client.request(ArchiveRootDocument, { administrationId })).administration.archive!.id;
        const files = [upload(await pdfBytes(1), { filename: "gedeeld-huurcontract.pdf" })];
        return unwrap((await client.request(UploadDocumentsDocument, { input: { administrationId, tray: TrayKind.Archive, folderId: root, files } })).uploadDocuments).documents[0]!
          .id;
      };
      const ownDocument = await file(first, mine.id);
      await file(second, theirs.id);
      const found = await first.request(SearchDocument, { input: { administrationId: mine.id, query: "huurcontract" } });
      expect(found.search.nodes.map((n) => n.document.id)).to.deep.equal([ownDocument]);
      const across = await first.request(SearchDocument, { input: { administrationId: theirs.id, query: "huurcontract" } }).catch((error: unknown) => error);
      expect(across, "searching the other firm's administration").to.be.instanceOf(NotFoundError);

      // Notifications and their subscriptions: what happens in the second firm reaches its admin only.
      const firstStream = first.subscribe(NotificationReceivedDocument)[Symbol.asyncIterator]();
      const secondStream = second.subscribe(NotificationReceivedDocument)[Symbol.asyncIterator]();
      await settle();
      const before = (await first.request(NotificationsDocument, { first: 50 })).notifications.totalCount;
      const invited = unwrap(
        (await second.request(InviteUserDocument, { input: { email: "klant@tweede.test", name: "Klant Tweede", role: UserRole.Client, administrationId: theirs.id } })).inviteUser,
      );
      unwrap((await env.client().request(AcceptInvitationDocument, { input: { token: invited.invitationToken!, password: PASSWORD } })).acceptInvitation);
      const received = await nextWithin(secondStream);
      expect(received.notificationReceived.kind).to.equal("INVITATION_ACCEPTED");
      expect(await staysQuiet(firstStream), "the first firm's admin hears nothing of it").to.equal(true);
      expect((await first.request(NotificationsDocument, { first: 50 })).notifications.totalCount).to.equal(before);
      expect((await second.request(NotificationsDocument, { first: 50 })).notifications.totalCount).to.be.greaterThan(0);
      await firstStream.return?.();
      await secondStream.return?.();
    });
  });

  describe("passwords", () => {
    const resetLink = (text: string) => decodeURIComponent(/reset-password\?token=([^&\s]+)/.exec(text)![1]!);

    it("resets a forgotten password from the mailed link: every session ends, the new password signs in, the link works once", async () => {
      const person = world.clients[0]!;
      const before = await env.signIn(person.email);
      const other = await env.signIn(person.email);
      const asked = await env.client().request(RequestPasswordResetDocument, { input: { email: person.email.toUpperCase() } });
      expect(asked.requestPasswordReset).to.deep.equal({ accepted: true, userErrors: [] });
      const [message] = await mail.waitFor(person.email);
      expect(message!.subject).to.equal(`Nieuw wachtwoord voor het klantportaal van ${world.firm.name}`);
      expect(message!.language).to.equal("nl");
      const token = resetLink(message!.text);

      const weak = await env.client().request(ResetPasswordDocument, { input: { token, password: "wachtwoord1" } });
      expect(weak.resetPassword.userErrors[0]).to.deep.include({ code: UserErrorCode.Invalid, field: ["input", "password"] });
      expect(weak.resetPassword.userErrors[0]!.message).to.match(/too easy to guess/);
      const personal = await env.client().request(ResetPasswordDocument, { input: { token, password: `${person.email}` } });
      expect(personal.resetPassword.userErrors[0]?.code, "the person's own address is easy to guess").to.equal(UserErrorCode.Invalid);

      const newPassword = "lantaarn vijver kompas";
      expect(unwrap((await env.client().request(ResetPasswordDocument, { input: { token, password: newPassword } })).resetPassword).changed).to.equal(true);
      for (const session of [before, other]) {
        await session.request(ViewerDocument).then(
          () => expect.fail("a session outlived the reset"),
          (error: { errors?: Array<{ extensions?: { code?: string } }> }) => expect(error.errors?.[0]?.extensions?.code).to.equal("UNAUTHENTICATED"),
        );
      }
      const old = await env.client().request(SignInDocument, { input: { email: person.email, password: PASSWORD } });
      expect(old.signIn.userErrors[0]?.code).to.equal(UserErrorCode.InvalidCredentials);
      await env.signIn(person.email, newPassword);

      const again = await env.client().request(ResetPasswordDocument, { input: { token, password: "nog een ander wachtwoord" } });
      expect(again.resetPassword.userErrors[0]).to.deep.include({ code: UserErrorCode.Expired, field: ["input", "token"] });
      // Kept out of the record: the mail's body (it held the link) is gone once sent.
      const kept = await eventually(async () => {
        const { rows } = await env.sql<{ text_body: string | null; sent_at: Date | null }>(
          "SELECT text_body, sent_at FROM outgoing_mails WHERE to_address = $1 AND kind = 'PASSWORD_RESET'",
          [person.email],
        );
        return rows[0]?.sent_at ? rows[0] : null;
      });
      expect(kept.text_body).to.equal(null);
      await env.sql("UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE id = $2) WHERE id = $1", [person.id, world.admin.id]); // back to PASSWORD for the tests after
    });

    it("answers an unknown address exactly like a known one, and sends it nothing", async () => {
      const unknown = await env.client().request(RequestPasswordResetDocument, { input: { email: "nobody-here@example.test" } });
      expect(unknown.requestPasswordReset).to.deep.equal({ accepted: true, userErrors: [] });
      const malformed = await env.client().request(RequestPasswordResetDocument, { input: { email: "not an address" } });
      expect(malformed.requestPasswordReset.userErrors[0]).to.deep.include({ code: UserErrorCode.Invalid, field: ["input", "email"] });
      // The job ran (its queue is empty) and found nobody to mail.
      await eventually(async () => {
        const { rows } = await env.sql<{ n: number }>("SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'auth.password_reset' AND state IN ('created', 'retry', 'active')");
        return rows[0]!.n === 0;
      });
      expect(mail.to("nobody-here@example.test")).to.deep.equal([]);
    });

    it("refuses an expired link, and limits requests per email (quietly) and per address (with a wait)", async () => {
      const person = world.admin;
      for (let i = 0; i < 3; i++) unwrap((await env.client().request(RequestPasswordResetDocument, { input: { email: person.email } })).requestPasswordReset);
      const messages = await mail.waitFor(person.email, 3);
      // A fourth within the hour is answered the same but mails nothing (the person's mailbox is not flooded).
      const fourth = await env.client().request(RequestPasswordResetDocument, { input: { email: person.email } });
      expect(fourth.requestPasswordReset).to.deep.equal({ accepted: true, userErrors: [] });
      // Only the newest link works: each new one ends the earlier ones.
      const links = messages.map((m) => resetLink(m.text));
      await env.sql("UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE user_id = $1 AND used_at IS NULL", [person.id]);
      const expired = await env.client().request(ResetPasswordDocument, { input: { token: links[2]!, password: "lantaarn vijver kompas" } });
      expect(expired.resetPassword.userErrors[0]?.code).to.equal(UserErrorCode.Expired);
      const earlier = await env.client().request(ResetPasswordDocument, { input: { token: links[0]!, password: "lantaarn vijver kompas" } });
      expect(earlier.resetPassword.userErrors[0]?.code).to.equal(UserErrorCode.Expired);
      // One address may ask 8 times an hour (PASSWORD_RESET_PER_ADDRESS): within 9 more requests it must wait.
      let refusal: { code: UserErrorCode; message: string } | null = null;
      for (let i = 0; i < 9 && !refusal; i++) {
        refusal = (await env.client().request(RequestPasswordResetDocument, { input: { email: `someone-${i}@example.test` } })).requestPasswordReset.userErrors[0] ?? null;
      }
      expect(refusal).to.deep.include({ code: UserErrorCode.TooManyAttempts });
      expect(refusal!.message).to.match(/^Too many requests from here\. Try again in \d+ seconds\.$/);
      await eventually(async () => {
        const { rows } = await env.sql<{ n: number }>("SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'auth.password_reset' AND state IN ('created', 'retry', 'active')");
        return rows[0]!.n === 0;
      });
      expect(mail.to(person.email)).to.have.length(3);
    });

    it("changes a password knowing the current one; the other sessions end, this one stays", async () => {
      const person = world.accountant;
      const here = await env.signIn(person.email);
      const elsewhere = await env.signIn(person.email);
      const wrong = await here.request(ChangePasswordDocument, { input: { currentPassword: "not my password", newPassword: "lantaarn vijver kompas" } });
      expect(wrong.changePassword.userErrors[0]).to.deep.include({ code: UserErrorCode.InvalidCredentials, field: ["input", "currentPassword"] });
      const same = await here.request(ChangePasswordDocument, { input: { currentPassword: PASSWORD, newPassword: PASSWORD } });
      expect(same.changePassword.userErrors[0]).to.deep.include({ code: UserErrorCode.Invalid, field: ["input", "newPassword"] });
      unwrap((await here.request(ChangePasswordDocument, { input: { currentPassword: PASSWORD, newPassword: "lantaarn vijver kompas" } })).changePassword);
      expect((await here.request(ViewerDocument)).viewer!.email).to.equal(person.email);
      await elsewhere.request(ViewerDocument).then(
        () => expect.fail("the other session outlived the change"),
        (error: { errors?: Array<{ extensions?: { code?: string } }> }) => expect(error.errors?.[0]?.extensions?.code).to.equal("UNAUTHENTICATED"),
      );
      await env.signIn(person.email, "lantaarn vijver kompas");
      await env.sql("UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE id = $2) WHERE id = $1", [person.id, world.admin.id]); // back to PASSWORD for the tests after
      const anonymous = await env
        .client()
        .request(ChangePasswordDocument, { input: { currentPassword: "x", newPassword: "y" } })
        .catch((error: { errors?: Array<{ extensions?: { code?: string } }> }) => error);
      expect((anonymous as { errors?: Array<{ extensions?: { code?: string } }> }).errors?.[0]?.extensions?.code).to.equal("UNAUTHENTICATED");
    });

    it("lets the operator turn off the second factor of someone who lost it (npm run user:reset-two-factor)", async () => {
      const person = await env.addClient(world, 0, "lost-phone");
      const client = await env.signIn(person.email);
      const secret = unwrap((await client.request(StartTotpEnrolmentDocument, {})).startTotpEnrolment).secret!;
      unwrap((await client.request(ConfirmTotpEnrolmentDocument, { input: { code: await generate({ secret }) } })).confirmTotpEnrolment);
      const before = unwrap((await env.client().request(SignInDocument, { input: { email: person.email, password: PASSWORD } })).signIn);
      expect(before.twoFactorRequired).to.equal(true);

      const made = await command("user", ["reset-two-factor", person.email]);
      expect(made.code, made.stderr).to.equal(0);
      expect(made.stdout).to.include(`<${person.email}> at ${world.firm.name}: second factor removed, 1 session(s) ended`);
      await client.request(ViewerDocument).then(
        () => expect.fail("the session outlived the reset"),
        (error: unknown) => expect(error).to.be.instanceOf(UnauthenticatedError),
      );
      const after = unwrap((await env.client().request(SignInDocument, { input: { email: person.email, password: PASSWORD } })).signIn);
      expect(after.twoFactorRequired).to.equal(false);
      expect(after.token).to.be.a("string");
      expect((await command("user", ["reset-two-factor", "nobody@example.test"])).code).to.equal(65);
    });

    it("gives the operator a working one-time link (npm run user:reset-password)", async () => {
      const person = await env.addClient(world, 0, "operator-reset");
      const made = await command("user", ["reset-password", person.email]);
      expect(made.code, made.stderr).to.equal(0);
      expect(made.stdout).to.include(`<${person.email}> at ${world.firm.name}`);
      unwrap((await env.client().request(ResetPasswordDocument, { input: { token: resetLink(made.stdout), password: "lantaarn vijver kompas" } })).resetPassword);
      await env.signIn(person.email, "lantaarn vijver kompas");
      const nobody = await command("user", ["reset-password", "nobody@example.test"]);
      expect(nobody.code).to.equal(65);
      expect(nobody.stderr).to.include("No active account has the address nobody@example.test");
    });
  });

  describe("email address", () => {
    const linkToken = (text: string) => decodeURIComponent(/confirm-email\?token=([^&\s]+)/.exec(text)![1]!);
    const request = (client: PortalDeskClient, newEmail: string, password = PASSWORD) => client.request(RequestEmailChangeDocument, { input: { newEmail, password } });
    const confirm = async (token: string) => (await env.client().request(ConfirmEmailChangeDocument, { input: { token } })).confirmEmailChange;

    it("changes only once the new address confirms it, then signs in with it and tells the old address", async () => {
      const person = await env.addClient(world, 0, "moving");
      const client = await env.signIn(person.email);
      expect((await request(client, "new-home@example.test", "not the password")).requestEmailChange.userErrors[0]).to.deep.include({
        code: "INVALID_CREDENTIALS",
        field: ["input", "password"],
      });
      expect((await request(client, "no address")).requestEmailChange.userErrors[0]).to.deep.include({ code: "INVALID", field: ["input", "newEmail"] });
      expect((await request(client, person.email.toUpperCase())).requestEmailChange.userErrors[0]).to.deep.include({ message: "That is your current address" });

      unwrap((await request(client, "Old-Home@Example.test")).requestEmailChange);
      unwrap((await request(client, "New-Home@Example.test")).requestEmailChange);
      const [older] = await mail.waitFor("old-home@example.test");
      const [newer] = await mail.waitFor("new-home@example.test");
      expect(newer!.subject).to.match(/^Bevestig uw nieuwe e-mailadres voor het klantportaal van /);
      expect((await client.request(ViewerDocument)).viewer!.email, "nothing changes before the link is used").to.equal(person.email);
      expect((await confirm(linkToken(older!.text))).userErrors[0], "a newer request voids the older link").to.include({ code: "EXPIRED" });

      const done = unwrap(await confirm(linkToken(newer!.text)));
      expect(done.email).to.equal("new-home@example.test");
      await env.signIn("new-home@example.test");
      const old = (await env.client().request(SignInDocument, { input: { email: person.email, password: PASSWORD } })).signIn;
      expect(old.userErrors[0]).to.include({ code: "INVALID_CREDENTIALS" });
      const [notice] = await mail.waitFor(person.email);
      expect(notice!.subject).to.match(/^Uw e-mailadres bij .* is veranderd$/);
      expect(notice!.text).to.include("gebruikt vanaf nu new-home@example.test");
      expect((await confirm(linkToken(newer!.text))).userErrors[0], "a link works once").to.include({ code: "EXPIRED" });
    });

    it("refuses at confirmation an address the firm already has, and changes nothing", async () => {
      const person = await env.addClient(world, 0, "clash");
      const client = await env.signIn(person.email);
      unwrap((await request(client, world.accountant.email)).requestEmailChange);
      const message = await eventually(async () => mail.to(world.accountant.email).find((m) => m.text.includes("confirm-email")));
      const clash = await confirm(linkToken(message.text));
      expect(clash.userErrors[0]).to.deep.include({ code: "ALREADY_EXISTS", field: ["input", "token"] });
      expect((await client.request(ViewerDocument)).viewer!.email).to.equal(person.email);
    });
  });

  describe("sessions", () => {
    /** Signs in through `url` as a browser named `agent` would, optionally through a proxy that names the client. */
    async function signInAs(email: string, agent: string, url = env.server.url, forwardedFor?: string): Promise<PortalDeskClient> {
      const headers = { "user-agent": agent, "accept-language": "en", ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) };
      const anonymous = createClient({ url: `${url}/graphql`, headers, webSocketImpl: WebSocket });
      const { token } = unwrap((await anonymous.request(SignInDocument, { input: { email, password: PASSWORD } })).signIn);
      await anonymous.dispose();
      return createClient({ url: `${url}/graphql`, token, headers, webSocketImpl: WebSocket });
    }
    const refused = (promise: Promise<unknown>) =>
      promise.then(
        () => "answered",
        (error: { errors?: Array<{ extensions?: { code?: string } }> }) => error.errors?.[0]?.extensions?.code,
      );

    it("lists one's own sessions with browser, address and times; ends one, or all", async () => {
      const person = await env.addClient(world, 0, "sessions");
      const laptop = await signInAs(person.email, "Firefox on the laptop");
      const phone = await signInAs(person.email, "Safari on the phone");
      const { viewer } = await laptop.request(ViewerSessionsDocument);
      expect(viewer!.sessions.map((s) => [s.userAgent, s.address, s.current])).to.have.deep.members([
        ["Firefox on the laptop", "127.0.0.1", true],
        ["Safari on the phone", "127.0.0.1", false],
      ]);
      expect(viewer!.sessions.every((s) => s.lastUsedAt && new Date(s.expiresAt) > new Date(s.createdAt))).to.equal(true);

      // Someone else's sessions do not exist for the viewer: the staff see none of them, and cannot end one.
      const staff = await env.signIn(world.accountant.email);
      const seen = await staff.request(NodeDocument, { id: viewer!.id });
      expect(seen.node).to.include({ id: viewer!.id });
      const asStaff = (await staff.request(ViewerSessionsDocument)).viewer!.sessions;
      expect(asStaff.map((s) => s.id)).to.not.include.members(viewer!.sessions.map((s) => s.id));
      const phoneSession = viewer!.sessions.find((s) => !s.current)!;
      expect(await refused(staff.request(RevokeSessionDocument, { input: { sessionId: phoneSession.id } }))).to.equal("NOT_FOUND");

      const ended = unwrap((await laptop.request(RevokeSessionDocument, { input: { sessionId: phoneSession.id } })).revokeSession);
      expect(ended.session).to.deep.equal({ id: phoneSession.id, current: false });
      expect(await refused(phone.request(ViewerDocument))).to.equal("UNAUTHENTICATED");
      const again = await laptop.request(RevokeSessionDocument, { input: { sessionId: phoneSession.id } });
      expect(again.revokeSession.userErrors[0]?.code).to.equal(UserErrorCode.WrongState);

      const tablet = await signInAs(person.email, "Chrome on the tablet");
      const everywhere = unwrap((await laptop.request(SignOutEverywhereDocument)).signOutEverywhere);
      expect(everywhere.sessionsEnded).to.equal(2);
      for (const session of [laptop, tablet]) expect(await refused(session.request(ViewerDocument))).to.equal("UNAUTHENTICATED");
      await Promise.all([laptop, phone, tablet].map((c) => c.dispose()));
    });

    it("believes X-Forwarded-For only from proxies TRUST_PROXY names", async () => {
      const person = await env.addClient(world, 0, "proxied");
      const direct = await signInAs(person.email, "direct", env.server.url, "203.0.113.7");
      const behindProxy = await env.startServer({ TRUST_PROXY: "loopback" });
      const proxied = await signInAs(person.email, "proxied", behindProxy.url, "203.0.113.7");
      const sessions = (await proxied.request(ViewerSessionsDocument)).viewer!.sessions;
      expect(sessions.map((s) => [s.userAgent, s.address])).to.have.deep.members([
        ["direct", "127.0.0.1"],
        ["proxied", "203.0.113.7"],
      ]);
      await Promise.all([direct, proxied].map((c) => c.dispose()));
    });
  });

  describe("firm settings", () => {
    it("lets a firm admin set what clients see; mails then come from the firm, with its reply-to and contact line", async () => {
      const admin = await env.signIn(world.admin.email);
      const settings = {
        displayName: "Jansen & Partners",
        brandColour: "#1A5FB4",
        mailSenderName: "Jansen Administratie",
        replyTo: "Kantoor@Jansen.test",
        contactEmail: "info@jansen.test",
        contactPhone: "+31 20 123 45 67",
        website: "jansen.test",
      };
      const { firm } = unwrap((await admin.request(UpdateFirmSettingsDocument, { input: settings })).updateFirmSettings);
      expect(firm).to.deep.include({ ...settings, brandColour: "#1a5fb4", replyTo: "kantoor@jansen.test", name: world.firm.name });

      const bad = await admin.request(UpdateFirmSettingsDocument, { input: { brandColour: "blue", contactPhone: "call us", displayName: "Elsewhere" } });
      expect(bad.updateFirmSettings.userErrors.map((e) => e.field)).to.deep.equal([
        ["input", "brandColour"],
        ["input", "contactPhone"],
      ]);
      const client = await env.signIn(world.clients[0]!.email);
      const seen = (await client.request(ViewerDocument)).viewer!.firm;
      expect(seen).to.deep.include({ displayName: "Jansen & Partners", brandColour: "#1a5fb4", contactPhone: "+31 20 123 45 67" });
      const accountant = await env.signIn(world.accountant.email);
      await accountant.request(UpdateFirmSettingsDocument, { input: { displayName: "Mine now" } }).then(
        () => expect.fail("an accountant changed the firm's settings"),
        (error: { errors?: Array<{ extensions?: { code?: string } }> }) => expect(error.errors?.[0]?.extensions?.code).to.equal("FORBIDDEN"),
      );

      // (An invitation, not a reset: the reset tests above used up this address's hourly requests.)
      const recipient = "branded.client@example.test";
      const administrationId = gid("Administration", world.administrations[0]!.id);
      unwrap((await admin.request(InviteUserDocument, { input: { email: recipient, name: "Branded Client", role: UserRole.Client, administrationId } })).inviteUser);
      const [message] = await mail.waitFor(recipient);
      expect(message!.subject).to.equal("Uitnodiging voor het klantportaal van Jansen & Partners");
      expect(message!.from).to.match(/^"Jansen Administratie" <[^>]+>$/);
      expect(message!.replyTo).to.equal("kantoor@jansen.test");
      expect(message!.text).to.include("Jansen & Partners · +31 20 123 45 67 · info@jansen.test · jansen.test");
      expect(message!.html).to.include("Jansen &amp; Partners · +31 20 123 45 67");

      // An empty value clears a setting; the display name falls back to the firm's name.
      const cleared = unwrap((await admin.request(UpdateFirmSettingsDocument, { input: { displayName: "", mailSenderName: null } })).updateFirmSettings).firm!;
      expect(cleared).to.deep.include({ displayName: world.firm.name, mailSenderName: null, brandColour: "#1a5fb4" });
      const { rows } = await env.sql<{ action: string }>("SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY seq", [world.firm.id]);
      expect(rows.map((r) => r.action)).to.deep.equal(["firm.settings_updated", "firm.settings_updated"]);
    });
  });
});

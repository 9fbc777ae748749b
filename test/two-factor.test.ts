// Two-step sign-in through the SDK: an authenticator app (TOTP codes made here with otplib, as the
// app would), recovery codes, the firm's requirement and enrolment at sign-in, and the limits.
import {
  AcceptInvitationDocument,
  CompleteSignInDocument,
  ConfirmTotpEnrolmentDocument,
  DisableTwoFactorDocument,
  InviteUserDocument,
  RegenerateRecoveryCodesDocument,
  SignInDocument,
  StartPasskeySignInDocument,
  StartTotpEnrolmentDocument,
  UnauthenticatedError,
  UpdateFirmSettingsDocument,
  ViewerDocument,
  ViewerSessionsDocument,
  unwrap,
  type PortalDeskClient,
} from "@portaldesk/sdk";
import { expect } from "chai";
import { generate } from "otplib";
import { gid, PASSWORD, TestEnv, type TestUser, type World } from "./support/harness.js";

/** The code an authenticator app shows `offset` steps from now. */
const codeAt = (secret: string, offset = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + offset * 30 });

describe("two-step sign-in", function () {
  this.timeout(60_000);
  let env: TestEnv;
  let world: World;

  before(async () => {
    env = await TestEnv.create();
    world = await env.createWorld({ administrations: 2 });
  });
  after(() => env.close());

  /** Turns the app on for a signed-in person; returns its secret and the recovery codes. */
  async function enrol(client: PortalDeskClient): Promise<{ secret: string; recoveryCodes: string[] }> {
    const started = unwrap((await client.request(StartTotpEnrolmentDocument, {})).startTotpEnrolment);
    const confirmed = unwrap((await client.request(ConfirmTotpEnrolmentDocument, { input: { code: await codeAt(started.secret!) } })).confirmTotpEnrolment);
    return { secret: started.secret!, recoveryCodes: confirmed.recoveryCodes! };
  }

  async function challengeFor(user: TestUser): Promise<string> {
    const first = unwrap((await env.client().request(SignInDocument, { input: { email: user.email, password: PASSWORD } })).signIn);
    expect(first.token, "no session before the second step").to.equal(null);
    expect(first.twoFactorRequired).to.equal(true);
    return first.challenge!.token;
  }

  const complete = async (challenge: string, code: string) => (await env.client().request(CompleteSignInDocument, { input: { challenge, code } })).completeSignIn;

  it("sets up an authenticator app from a QR code, confirmed by a code, and then asks for a code at every sign-in", async () => {
    const person = await env.addClient(world, 0, "totp");
    const client = await env.signIn(person.email);
    const started = unwrap((await client.request(StartTotpEnrolmentDocument, {})).startTotpEnrolment);
    expect(started.secret).to.match(/^[A-Z2-7]{32}$/);
    expect(started.uri).to.match(new RegExp(`^otpauth://totp/[^?]*${encodeURIComponent(person.email)}\\?secret=${started.secret}&issuer=`));
    expect(started.qrCodeSvg).to.match(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<\/svg>\s*$/);

    const wrong = (await client.request(ConfirmTotpEnrolmentDocument, { input: { code: "000000" } })).confirmTotpEnrolment;
    expect(wrong.userErrors).to.deep.equal([{ code: "INVALID_CREDENTIALS", message: "The code is not correct", field: ["input", "code"] }]);
    expect((await client.request(ViewerSessionsDocument)).viewer!.twoFactor!.enabled, "a wrong code turns nothing on").to.equal(false);

    const code = await codeAt(started.secret!);
    const confirmed = unwrap((await client.request(ConfirmTotpEnrolmentDocument, { input: { code } })).confirmTotpEnrolment);
    expect(confirmed.recoveryCodes).to.have.length(10);
    expect(new Set(confirmed.recoveryCodes).size).to.equal(10);
    for (const recovery of confirmed.recoveryCodes!) expect(recovery).to.match(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect(confirmed.token, "enrolling while signed in makes no new session").to.equal(null);
    expect(confirmed.viewer!.twoFactor).to.deep.include({ enabled: true, recoveryCodesLeft: 10, required: false });
    const { rows } = await env.sql<{ n: number }>("SELECT count(*)::int AS n FROM recovery_codes WHERE user_id = $1 AND code_hash = sha256(convert_to($2, 'UTF8'))", [
      person.id,
      `recovery:${confirmed.recoveryCodes![0]!.replace("-", "")}`,
    ]);
    expect(rows[0]!.n, "recovery codes are stored as hashes").to.equal(1);

    const again = (await client.request(StartTotpEnrolmentDocument, {})).startTotpEnrolment;
    expect(again.userErrors[0]).to.include({ code: "WRONG_STATE" });

    const challenge = await challengeFor(person);
    const answer = await complete(challenge, "123456");
    expect(answer.userErrors).to.deep.equal([{ code: "INVALID_CREDENTIALS", message: "The code is not correct", field: ["input", "code"] }]);
    expect((await complete(challenge, code)).userErrors[0], "the code used to confirm is not accepted again").to.include({ code: "INVALID_CREDENTIALS" });
    const signedIn = unwrap(await complete(challenge, await codeAt(started.secret!, 1)));
    expect(signedIn.token).to.be.a("string");
    expect(signedIn.viewer!.email).to.equal(person.email);
    const viewer = await env.client(signedIn.token).request(ViewerDocument);
    expect(viewer.viewer!.email).to.equal(person.email);
    expect((await complete(challenge, await codeAt(started.secret!, 1))).userErrors[0], "a challenge is used once").to.include({ code: "EXPIRED" });

    const { rows: audit } = await env.sql<{ action: string; details: Record<string, unknown> }>(
      "SELECT action, details FROM audit_events WHERE subject_id = $1 AND action IN ('auth.two_factor_enabled', 'auth.signed_in') ORDER BY seq",
      [person.id],
    );
    expect(audit.map((a) => a.action)).to.deep.equal(["auth.signed_in", "auth.two_factor_enabled", "auth.signed_in"]);
    expect(audit[2]!.details).to.include({ secondFactor: "TOTP" });
  });

  it("signs in with a recovery code once, then no more; new codes replace the old", async () => {
    const person = await env.addClient(world, 0, "recovery");
    const { secret, recoveryCodes } = await enrol(await env.signIn(person.email));
    const signedIn = unwrap(await complete(await challengeFor(person), recoveryCodes[3]!.toUpperCase().replace("-", " ")));
    const client = env.client(signedIn.token);
    expect((await client.request(ViewerSessionsDocument)).viewer!.twoFactor!.recoveryCodesLeft).to.equal(9);
    expect((await complete(await challengeFor(person), recoveryCodes[3]!)).userErrors[0], "a recovery code is spent").to.include({ code: "INVALID_CREDENTIALS" });

    const refused = (await client.request(RegenerateRecoveryCodesDocument, { input: { code: recoveryCodes[4]! } })).regenerateRecoveryCodes;
    expect(refused.userErrors[0], "new codes take a code from the app, not a recovery code").to.include({ code: "INVALID_CREDENTIALS" });
    const fresh = unwrap((await client.request(RegenerateRecoveryCodesDocument, { input: { code: await codeAt(secret, 1) } })).regenerateRecoveryCodes).recoveryCodes!;
    expect(fresh).to.have.length(10).and.not.include(recoveryCodes[4]);
    expect((await complete(await challengeFor(person), recoveryCodes[4]!)).userErrors[0], "old codes stop working").to.include({ code: "INVALID_CREDENTIALS" });
    unwrap(await complete(await challengeFor(person), fresh[0]!));
  });

  it("turns off with the password, and sign-in takes the password alone again", async () => {
    const person = await env.addClient(world, 1, "disable");
    const client = await env.signIn(person.email);
    await enrol(client);
    const wrong = (await client.request(DisableTwoFactorDocument, { input: { password: "not the password" } })).disableTwoFactor;
    expect(wrong.userErrors[0]).to.deep.include({ code: "INVALID_CREDENTIALS", field: ["input", "password"] });
    const off = unwrap((await client.request(DisableTwoFactorDocument, { input: { password: PASSWORD } })).disableTwoFactor);
    expect(off.viewer!.twoFactor).to.deep.include({ enabled: false, recoveryCodesLeft: 0 });
    const signedIn = unwrap((await env.client().request(SignInDocument, { input: { email: person.email, password: PASSWORD } })).signIn);
    expect(signedIn.twoFactorRequired).to.equal(false);
    expect(signedIn.token).to.be.a("string");
  });

  it("limits wrong codes: a challenge is spent after five, the account waits after more", async () => {
    const person = await env.addClient(world, 1, "throttle");
    const { recoveryCodes } = await enrol(await env.signIn(person.email));
    const challenge = await challengeFor(person);
    for (let i = 0; i < 5; i++) expect((await complete(challenge, `00000${i}`)).userErrors[0]).to.include({ code: "INVALID_CREDENTIALS" });
    expect((await complete(challenge, recoveryCodes[0]!)).userErrors[0], "spent after five wrong codes: back to the password").to.include({ code: "EXPIRED" });
    const next = await challengeFor(person);
    const waiting = (await complete(next, recoveryCodes[0]!)).userErrors[0];
    expect(waiting, "past the account's limit even a right code waits").to.include({ code: "TOO_MANY_ATTEMPTS" });
    expect(waiting!.message).to.match(/Try again in \d+ seconds/);
    await env.sql("DELETE FROM sign_in_throttle WHERE key LIKE $1", [`2fa:${person.id}%`]);
    unwrap(await complete(next, recoveryCodes[0]!));
  });

  it("gives one session when the same code is sent twice at once", async () => {
    const person = await env.addClient(world, 1, "race");
    const { recoveryCodes } = await enrol(await env.signIn(person.email));
    const challenge = await challengeFor(person);
    const answers = await Promise.all([complete(challenge, recoveryCodes[1]!), complete(challenge, recoveryCodes[1]!)]);
    expect(answers.filter((a) => a.token).length).to.equal(1);
    expect(answers.filter((a) => a.userErrors.length).length).to.equal(1);
  });

  describe("when the firm requires it", () => {
    it("needs the admin's own second factor first, signs out those without one, and leads them through enrolment at sign-in", async () => {
      const admin = await env.signIn(world.admin.email);
      const tooSoon = (await admin.request(UpdateFirmSettingsDocument, { input: { requireTwoFactorForStaff: true } })).updateFirmSettings;
      expect(tooSoon.userErrors).to.deep.equal([
        { code: "WRONG_STATE", message: "Turn on two-step sign-in for yourself first (Account page)", field: ["input", "requireTwoFactorForStaff"] },
      ]);

      const clientBefore = await env.signIn(world.clients[0]!.email);
      const enrolled = await env.addClient(world, 0, "enrolled");
      const enrolledClient = await env.signIn(enrolled.email);
      await enrol(enrolledClient);
      const firm = unwrap((await admin.request(UpdateFirmSettingsDocument, { input: { requireTwoFactorForClients: true } })).updateFirmSettings).firm!;
      expect(firm).to.include({ requireTwoFactorForClients: true, requireTwoFactorForStaff: false });
      await clientBefore.request(ViewerDocument).then(
        () => expect.fail("a client without a second factor stays signed in"),
        (error: unknown) => expect(error).to.be.instanceOf(UnauthenticatedError),
      );
      expect((await enrolledClient.request(ViewerDocument)).viewer!.email, "those with one stay signed in").to.equal(enrolled.email);
      expect((await admin.request(ViewerDocument)).viewer!.email, "staff are not affected").to.equal(world.admin.email);

      // At the next sign-in: enrolment, and no session until the app is on.
      const first = unwrap((await env.client().request(SignInDocument, { input: { email: world.clients[0]!.email, password: PASSWORD } })).signIn);
      expect(first).to.deep.include({ token: null, twoFactorRequired: true });
      expect(first.challenge).to.deep.include({ enrolmentRequired: true, methods: ["TOTP"] });
      expect((await complete(first.challenge!.token, "123456")).userErrors[0], "an enrolment challenge is no sign-in").to.include({ code: "EXPIRED" });
      const anonymous = await env
        .client()
        .request(StartTotpEnrolmentDocument, {})
        .catch((error: unknown) => error);
      expect(anonymous, "without a session or challenge: nothing").to.be.instanceOf(UnauthenticatedError);
      const started = unwrap((await env.client().request(StartTotpEnrolmentDocument, { input: { challenge: first.challenge!.token } })).startTotpEnrolment);
      const done = unwrap(
        (await env.client().request(ConfirmTotpEnrolmentDocument, { input: { challenge: first.challenge!.token, code: await codeAt(started.secret!) } })).confirmTotpEnrolment,
      );
      expect(done.recoveryCodes).to.have.length(10);
      expect(done.token).to.be.a("string");
      const client = env.client(done.token);
      const status = (await client.request(ViewerSessionsDocument)).viewer!.twoFactor!;
      expect(status).to.deep.include({ enabled: true, required: true });
      const keep = (await client.request(DisableTwoFactorDocument, { input: { password: PASSWORD } })).disableTwoFactor;
      expect(keep.userErrors[0]).to.deep.include({ code: "WRONG_STATE", message: "Your firm requires two-step sign-in; it cannot be turned off" });

      // A newly invited client sets it up before the first session too.
      const invited = unwrap(
        (
          await admin.request(InviteUserDocument, {
            input: { email: "new-client@example.test", name: "Nieuwe Klant", role: "CLIENT", administrationId: gid("Administration", world.administrations[1]!.id) },
          })
        ).inviteUser,
      );
      const accepted = unwrap((await env.client().request(AcceptInvitationDocument, { input: { token: invited.invitationToken!, password: PASSWORD } })).acceptInvitation);
      expect(accepted).to.deep.include({ token: null, twoFactorRequired: true });
      expect(accepted.challenge!.enrolmentRequired).to.equal(true);

      unwrap((await admin.request(UpdateFirmSettingsDocument, { input: { requireTwoFactorForClients: false } })).updateFirmSettings);
    });
  });
});

describe("passwordless sign-in requests", function () {
  this.timeout(60_000);
  let env: TestEnv;
  before(async () => {
    // The per-address limit of started passkey sign-ins is twenty times SIGN_IN_MAX_FAILURES: 20 here.
    env = await TestEnv.create({ SIGN_IN_MAX_FAILURES: "1" });
  });
  after(() => env.close());

  it("are limited per address, and spent or expired ones are cleared out", async () => {
    await env.sql("INSERT INTO webauthn_challenges (token_hash, purpose, expires_at) VALUES ('\\x00', 'SIGN_IN', now() - interval '1 minute')");
    const anonymous = env.client();
    for (let i = 0; i < 20; i++) expect(unwrap((await anonymous.request(StartPasskeySignInDocument)).startPasskeySignIn).token).to.match(/^pdw_/);
    const { rows } = await env.sql<{ n: number }>("SELECT count(*)::int AS n FROM webauthn_challenges WHERE expires_at < now()");
    expect(rows[0]!.n, "the expired request is gone").to.equal(0);
    const refused = (await anonymous.request(StartPasskeySignInDocument)).startPasskeySignIn;
    expect(refused.token).to.equal(null);
    expect(refused.userErrors[0]).to.include({ code: "TOO_MANY_ATTEMPTS" });
    expect(refused.userErrors[0]!.message).to.match(/^Too many passkey sign-ins from here\. Try again in \d+ seconds\.$/);
  });
});

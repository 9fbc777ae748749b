import {
  AcceptInvitationDocument,
  AdministrationsDocument,
  ApiTokensDocument,
  CreateApiTokenDocument,
  InviteUserDocument,
  RevokeApiTokenDocument,
  SignInDocument,
  SignOutDocument,
  UnauthenticatedError,
  ForbiddenError,
  UserRole,
  UserErrorCode,
  ViewerDocument,
  unwrap,
} from "@portaldesk/sdk";
import { expect } from "chai";
import { gid, PASSWORD, TestEnv, type World } from "./support/harness.js";

describe("authentication", () => {
  let env: TestEnv;
  let world: World;

  before(async () => {
    env = await TestEnv.create({ SIGN_IN_MAX_FAILURES: "3", SIGN_IN_WINDOW: "60s" });
    world = await env.createWorld();
  });
  after(() => env.close());

  it("signs a client in and returns the viewer with their administration", async () => {
    const result = await env.client().request(SignInDocument, { input: { email: world.clients[0]!.email, password: PASSWORD } });
    expect(result.signIn.userErrors).to.deep.equal([]);
    expect(result.signIn.token).to.match(/^pds_/);
    expect(result.signIn.viewer?.email).to.equal(world.clients[0]!.email);
    expect(result.signIn.viewer?.memberships.map((m) => m.administration.name)).to.deep.equal([world.administrations[0]!.name]);
    const viewer = await env.client(result.signIn.token).request(ViewerDocument);
    expect(viewer.viewer.role).to.equal(UserRole.Client);
  });

  it("accepts the email in any case and with spaces", async () => {
    const result = await env.client().request(SignInDocument, { input: { email: `  ${world.accountant.email.toUpperCase()} `, password: PASSWORD } });
    expect(result.signIn.viewer?.email).to.equal(world.accountant.email);
  });

  it("refuses a wrong password with a clear user error, then throttles", async () => {
    const anonymous = env.client();
    const email = world.clients[1]!.email;
    for (let i = 0; i < 3; i++) {
      const result = await anonymous.request(SignInDocument, { input: { email, password: "wrong password!" } });
      expect(result.signIn.token).to.equal(null);
      expect(result.signIn.userErrors[0]?.code).to.equal(UserErrorCode.InvalidCredentials);
      expect(result.signIn.userErrors[0]?.message).to.equal("The email or password is not correct");
    }
    // Now even the right password is refused until the window passes.
    const blocked = await anonymous.request(SignInDocument, { input: { email, password: PASSWORD } });
    expect(blocked.signIn.token).to.equal(null);
    expect(blocked.signIn.userErrors[0]?.code).to.equal(UserErrorCode.TooManyAttempts);
    expect(blocked.signIn.userErrors[0]?.message).to.match(/Try again in \d+ seconds/);
    // Another account is not affected.
    const other = await anonymous.request(SignInDocument, { input: { email: world.clients[0]!.email, password: PASSWORD } });
    expect(other.signIn.token).to.be.a("string");
  });

  it("does not reveal whether an email exists", async () => {
    const result = await env.client().request(SignInDocument, { input: { email: "nobody@example.test", password: "whatever12345" } });
    expect(result.signIn.userErrors[0]?.code).to.equal(UserErrorCode.InvalidCredentials);
  });

  it("rejects an unknown, malformed, expired or revoked token with UNAUTHENTICATED", async () => {
    for (const token of ["pds_not-a-real-token", "garbage"]) {
      const error = await env
        .client(token)
        .request(ViewerDocument)
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(UnauthenticatedError);
      expect((error as UnauthenticatedError).status).to.equal(401);
    }
    const client = await env.signIn(world.accountant.email);
    await env.sql("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1", [world.accountant.id]);
    expect(await client.request(ViewerDocument).catch((e: unknown) => e)).to.be.instanceOf(UnauthenticatedError);

    const again = await env.signIn(world.accountant.email);
    expect((await again.request(ViewerDocument)).viewer.email).to.equal(world.accountant.email);
    const out = await again.request(SignOutDocument);
    expect(out.signOut.signedOut).to.equal(true);
    expect(await again.request(ViewerDocument).catch((e: unknown) => e)).to.be.instanceOf(UnauthenticatedError);
  });

  it("stores only hashes of tokens and Argon2id hashes of passwords", async () => {
    const { rows } = await env.sql<{ password_hash: string }>("SELECT password_hash FROM users WHERE id = $1", [world.admin.id]);
    expect(rows[0]!.password_hash).to.match(/^\$argon2id\$/);
    const session = (await env.client().request(SignInDocument, { input: { email: world.admin.email, password: PASSWORD } })).signIn.token!;
    const { rows: found } = await env.sql("SELECT 1 FROM sessions WHERE token_hash = convert_to($1, 'UTF8')", [session]);
    expect(found).to.have.length(0);
  });

  describe("invitations", () => {
    it("lets a firm admin invite a client who accepts and is signed in; staff are notified", async () => {
      const admin = await env.signIn(world.admin.email);
      const invited = unwrap(
        (
          await admin.request(InviteUserDocument, {
            input: {
              email: "New.Client@Example.test",
              name: "New Client",
              role: UserRole.Client,
              administrationId: gid("Administration", world.administrations[0]!.id),
              canApproveFilings: false,
            },
          })
        ).inviteUser,
      );
      expect(invited.user?.email).to.equal("new.client@example.test");
      expect(invited.user?.status).to.equal("INVITED");
      expect(invited.invitationUrl).to.contain(encodeURIComponent(invited.invitationToken!));

      // Not able to sign in before accepting.
      const early = await env.client().request(SignInDocument, { input: { email: "new.client@example.test", password: PASSWORD } });
      expect(early.signIn.userErrors[0]?.code).to.equal(UserErrorCode.InvalidCredentials);

      const tooShort = await env.client().request(AcceptInvitationDocument, { input: { token: invited.invitationToken!, password: "short" } });
      expect(tooShort.acceptInvitation.userErrors[0]).to.include({ code: UserErrorCode.Invalid });
      expect(tooShort.acceptInvitation.userErrors[0]?.field).to.deep.equal(["input", "password"]);

      const accepted = unwrap(
        (await env.client().request(AcceptInvitationDocument, { input: { token: invited.invitationToken!, password: "a good long password" } })).acceptInvitation,
      );
      expect(accepted.viewer?.status).to.equal("ACTIVE");
      expect(accepted.viewer?.memberships.map((m) => m.administration.name)).to.deep.equal([world.administrations[0]!.name]);
      const asNewClient = env.client(accepted.token);
      const list = await asNewClient.request(AdministrationsDocument, {});
      expect(list.administrations.nodes.map((a) => a.name)).to.deep.equal([world.administrations[0]!.name]);

      // The token is single-use.
      const reuse = await env.client().request(AcceptInvitationDocument, { input: { token: invited.invitationToken!, password: "another long password" } });
      expect(reuse.acceptInvitation.userErrors[0]?.code).to.equal(UserErrorCode.Expired);

      const { rows } = await env.sql<{ kind: string }>("SELECT kind FROM notifications WHERE recipient_user_id = $1", [world.admin.id]);
      expect(rows.map((r) => r.kind)).to.include("INVITATION_ACCEPTED");
    });

    it("refuses an expired invitation and a duplicate email", async () => {
      const admin = await env.signIn(world.admin.email);
      const invited = unwrap((await admin.request(InviteUserDocument, { input: { email: "late@example.test", name: "Late", role: UserRole.Accountant } })).inviteUser);
      await env.sql("UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE user_id = (SELECT id FROM users WHERE email = 'late@example.test')");
      const result = await env.client().request(AcceptInvitationDocument, { input: { token: invited.invitationToken!, password: "a good long password" } });
      expect(result.acceptInvitation.userErrors[0]?.code).to.equal(UserErrorCode.Expired);

      const duplicate = await admin.request(InviteUserDocument, { input: { email: "LATE@example.test", name: "Late again", role: UserRole.Accountant } });
      expect(duplicate.inviteUser.userErrors[0]).to.include({ code: UserErrorCode.AlreadyExists });
      expect(duplicate.inviteUser.userErrors[0]?.field).to.deep.equal(["input", "email"]);
    });

    it("lets only firm admins invite staff, and nobody outside the firm's staff invite at all", async () => {
      const accountant = await env.signIn(world.accountant.email);
      const error = await accountant.request(InviteUserDocument, { input: { email: "x@example.test", name: "X", role: UserRole.FirmAdmin } }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ForbiddenError);
      const client = await env.signIn(world.clients[0]!.email);
      const clientError = await client
        .request(InviteUserDocument, {
          input: { email: "y@example.test", name: "Y", role: UserRole.Client, administrationId: gid("Administration", world.administrations[0]!.id) },
        })
        .catch((e: unknown) => e);
      expect(clientError).to.be.instanceOf(ForbiddenError);
    });
  });

  describe("API tokens", () => {
    it("creates a token shown once, which acts for the firm until revoked", async () => {
      const admin = await env.signIn(world.admin.email);
      const created = unwrap((await admin.request(CreateApiTokenDocument, { input: { name: "Accounting package" } })).createApiToken);
      expect(created.token).to.match(/^pdt_/);
      expect(created.apiToken?.tokenPrefix).to.equal(created.token!.slice(0, 12));

      const integration = env.client(created.token);
      const list = await integration.request(AdministrationsDocument, {});
      expect(list.administrations.totalCount).to.equal(world.administrations.length);
      // An API token is not a person.
      expect(await integration.request(ViewerDocument).catch((e: unknown) => e)).to.be.instanceOf(ForbiddenError);

      const tokens = await admin.request(ApiTokensDocument, {});
      const listed = tokens.apiTokens.nodes.find((t) => t.id === created.apiToken!.id)!;
      expect(listed.lastUsedAt).to.be.a("string");
      expect(listed.createdBy.email).to.equal(world.admin.email);
      expect(JSON.stringify(tokens)).not.to.contain(created.token!);

      unwrap((await admin.request(RevokeApiTokenDocument, { input: { id: created.apiToken!.id } })).revokeApiToken);
      expect(await integration.request(AdministrationsDocument, {}).catch((e: unknown) => e)).to.be.instanceOf(UnauthenticatedError);
      const again = await admin.request(RevokeApiTokenDocument, { input: { id: created.apiToken!.id } });
      expect(again.revokeApiToken.userErrors[0]?.code).to.equal(UserErrorCode.WrongState);
    });

    it("lets only firm admins create tokens", async () => {
      const accountant = await env.signIn(world.accountant.email);
      expect(await accountant.request(CreateApiTokenDocument, { input: { name: "x" } }).catch((e: unknown) => e)).to.be.instanceOf(ForbiddenError);
    });
  });
});

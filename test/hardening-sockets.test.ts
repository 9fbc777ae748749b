// WebSocket connections hold a credential only as long as it lives, take a bounded number of
// subscriptions, and answer bad operations with the same clear codes as HTTP.
import {
  AdministrationEventsDocument,
  InvalidRequestError,
  NotificationReceivedDocument,
  UnauthenticatedError,
  ViewerDocument,
  upload,
  UploadDocumentsDocument,
  type PortalDeskClient,
} from "@portaldesk/sdk";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { expect } from "chai";
import { parse } from "graphql";
import { pdfBytes } from "./support/files.js";
import { WebSocket } from "ws";
import { sessionToken } from "./support/raw-http.js";
import { eventually, gid, nextWithin, settle, TestEnv, type World } from "./support/harness.js";

describe("hardening: WebSocket sessions and limits", function () {
  this.timeout(60_000);
  let env: TestEnv;
  let world: World;

  before(async () => {
    env = await TestEnv.create({ SESSION_TTL: "4s", SUBSCRIPTIONS_PER_CONNECTION: "3", SUBSCRIPTIONS_PER_USER: "5" });
    world = await env.createWorld({ administrations: 1 });
  });
  after(() => env.close());

  it("closes a socket when its session expires, though nobody signed out", async () => {
    const client = await env.signIn(world.clients[0]!.email);
    const events = client.subscribe(NotificationReceivedDocument);
    await settle();
    // No event arrives; the socket is closed at the session's end (4 s), which ends the subscription.
    const ended = await nextWithin(events, 15_000).catch((error: unknown) => error);
    expect(ended).to.be.instanceOf(UnauthenticatedError);
    expect((ended as Error).message).to.match(/expired/i);
  });

  it("checks the credential again for every new operation on an open socket", async () => {
    const client = await env.signIn(world.accountant.email);
    const first = client.subscribe(NotificationReceivedDocument);
    await settle();
    // The session ends in the database without any event that would close the socket.
    await env.sql("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1", [world.accountant.id]);
    const refused = await nextWithin(client.subscribe(ViewerDocument)).catch((error: unknown) => error);
    expect(refused).to.be.instanceOf(UnauthenticatedError);
    expect(await nextWithin(first).catch((error: unknown) => error)).to.be.instanceOf(UnauthenticatedError);
  });
});

describe("hardening: subscription limits and WebSocket errors", function () {
  this.timeout(60_000);
  let env: TestEnv;
  let world: World;
  let administrationId: string;

  before(async () => {
    env = await TestEnv.create({ SUBSCRIPTIONS_PER_CONNECTION: "3", SUBSCRIPTIONS_PER_USER: "5" });
    world = await env.createWorld({ administrations: 1 });
    administrationId = gid("Administration", world.administrations[0]!.id);
  });
  after(() => env.close());

  it("bounds subscriptions per connection and per person, and the admitted ones still get their events", async () => {
    const first = await env.signIn(world.clients[0]!.email);
    const second = await env.signIn(world.clients[0]!.email);
    const open = (c: PortalDeskClient) => c.subscribe(AdministrationEventsDocument, { administrationId });
    const onFirst = [open(first), open(first), open(first)];
    const overConnection = open(first);
    const onSecond = [open(second), open(second)];
    await settle();
    const overPerson = open(second);
    const refusedConnection = await nextWithin(overConnection).catch((error: unknown) => error);
    expect(refusedConnection).to.be.instanceOf(InvalidRequestError);
    expect((refusedConnection as Error).message).to.match(/at most 3/i);
    const refusedPerson = await nextWithin(overPerson).catch((error: unknown) => error);
    expect(refusedPerson).to.be.instanceOf(InvalidRequestError);
    expect((refusedPerson as Error).message).to.match(/at most 5/i);

    await first.request(UploadDocumentsDocument, { input: { administrationId, files: [upload(await pdfBytes(1), { filename: "live.pdf" })] } });
    for (const events of [...onFirst, ...onSecond]) {
      const event = await nextWithin(events);
      expect(event.administrationEvents.document?.filename).to.equal("live.pdf");
    }
  });

  it("answers a syntax error and an invalid operation over WebSocket with their codes, not INTERNAL", async () => {
    const client = await env.signIn(world.accountant.email);
    const invalid = parse("subscription { noSuchField }") as unknown as TypedDocumentNode<unknown, Record<string, never>>;
    const error = await nextWithin(client.subscribe(invalid)).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).code).to.equal("GRAPHQL_VALIDATION_FAILED");
    const unsafe = parse('query { node(id: "a\u202Eb") { id } }') as unknown as TypedDocumentNode<unknown, Record<string, never>>;
    const unsafeError = await nextWithin(client.subscribe(unsafe)).catch((e: unknown) => e);
    expect((unsafeError as InvalidRequestError).code).to.equal("BAD_USER_INPUT");
    // The connection is still good for a valid operation.
    expect((await nextWithin(client.subscribe(ViewerDocument))).viewer?.email).to.equal(world.accountant.email);
  });
});

describe("hardening: WebSocket messages found by fuzzing", () => {
  let env: TestEnv;
  let world: World;

  before(async () => {
    env = await TestEnv.create();
    world = await env.createWorld({ administrations: 1 });
  });
  after(() => env.close());

  /** Opens a raw graphql-transport-ws socket, signed in; returns it with its received messages and close code. */
  async function rawSocket(token: string) {
    const socket = new WebSocket(`${env.server.url.replace(/^http/, "ws")}/graphql`, "graphql-transport-ws");
    const messages: Array<{ type: string; id?: string; payload?: unknown }> = [];
    const closed = new Promise<number>((resolve) => socket.on("close", (code) => resolve(code)));
    socket.on("message", (data) => messages.push(JSON.parse(String(data)) as { type: string }));
    await new Promise((resolve) => socket.once("open", resolve));
    socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${token}` } }));
    await eventually(async () => messages.some((m) => m.type === "connection_ack"));
    return { socket, messages, closed };
  }

  it("answers wrong variables with BAD_USER_INPUT, and a message only a server sends by closing with 4400", async () => {
    const token = await sessionToken(env.server.url, world.accountant.email);
    const { socket, messages, closed } = await rawSocket(token);
    socket.send(
      JSON.stringify({
        id: "1",
        type: "subscribe",
        payload: { query: "mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { userErrors { message } } }", variables: { input: [1] } },
      }),
    );
    const error = await eventually(async () => messages.find((m) => m.id === "1" && m.type === "error"));
    expect((error.payload as Array<{ extensions: { code: string } }>)[0]!.extensions.code).to.equal("BAD_USER_INPUT");
    socket.send(JSON.stringify({ id: "2", type: "next", payload: {} }));
    expect(await closed).to.equal(4400);
    // A long type name in any script: the close reason stays within the protocol's 123 bytes.
    const second = await rawSocket(token);
    second.socket.send(JSON.stringify({ type: "中".repeat(60) }));
    expect(await second.closed).to.equal(4400);
  });
  it("asks a socket to try again (1013) when its token cannot be checked, and refuses a wrong token for good (4401)", async () => {
    const token = await sessionToken(env.server.url, world.accountant.email);
    const connect = async (bearer: string) => {
      const socket = new WebSocket(`${env.server.url.replace(/^http/, "ws")}/graphql`, "graphql-transport-ws");
      const closed = new Promise<number>((resolve) => socket.on("close", (code) => resolve(code)));
      await new Promise((resolve) => socket.once("open", resolve));
      socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${bearer}` } }));
      return closed;
    };
    const auth = env.server.services.auth;
    const check = auth.credential.bind(auth);
    // The database restarting: the check fails, which says nothing about the token.
    auth.credential = () => Promise.reject(new Error("Connection terminated unexpectedly"));
    try {
      expect(await connect(token)).to.equal(1013);
    } finally {
      auth.credential = check;
    }
    expect(await connect("not-a-token")).to.equal(4401);
    // And with the database back, the same token gets in.
    const { socket } = await rawSocket(token);
    socket.close();
  });
});

// Documents by mail, over real SMTP (nodemailer to the intake): each administration's address takes
// the attachments of its members' mail onto the desk, as uploaded by the sender, or into a tray by a
// subject tag; unknown addresses, strangers, automatic mail, too many attachments, files that are no
// documents and oversized mails are refused during the SMTP dialogue, with a reason, keeping nothing.
import { InboundEmailAddressDocument, RotateInboundEmailAddressDocument, TrayDocumentsDocument, TrayKind, unwrap, type PortalDeskClient } from "@portaldesk/sdk";
import { expect } from "chai";
import net from "node:net";
import nodemailer, { type SendMailOptions } from "nodemailer";
import { executable, pdfBytes, ublInvoice } from "./support/files.js";
import { gid, TestEnv, type World } from "./support/harness.js";

const DOMAIN = "in.portaldesk.test";

describe("documents by mail (SMTP intake)", function () {
  this.timeout(120_000);
  let env: TestEnv;
  let world: World;
  let staff: PortalDeskClient;
  let administrationId: string;
  let address: string;
  let port: number;

  before(async () => {
    env = await TestEnv.create({ MAIL_IN: "true", MAIL_IN_PORT: "0", MAIL_IN_DOMAIN: DOMAIN, MAIL_IN_MAX_ATTACHMENTS: "20", MAIL_IN_MAX_SIZE: "10MB" });
    world = await env.createWorld({ administrations: 2 });
    staff = await env.signIn(world.accountant.email);
    administrationId = gid("Administration", world.administrations[0]!.id);
    address = (await staff.request(InboundEmailAddressDocument, { administrationId })).administration.inboundEmailAddress!;
    port = env.server.mailInPort!;
  });
  after(() => env?.close());

  const send = (message: SendMailOptions) =>
    nodemailer
      .createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true })
      .sendMail(message)
      .then(
        (info) => ({ ok: true as const, response: info.response }),
        (error: { responseCode?: number; response?: string }) => ({ ok: false as const, code: error.responseCode, response: error.response ?? "" }),
      );
  const documentCount = async () => Number((await env.sql("SELECT count(*) FROM documents")).rows[0]!.count);

  it("gives each administration an address of its own, shown to its people", async () => {
    expect(address).to.match(
      new RegExp(
        `^${world.administrations[0]!.name.toLowerCase()
          .replace(/[^a-z0-9]+/g, "-")
          .replace(/-$/, "")}-[a-z2-9]{12}@${DOMAIN.replace(/\./g, "\\.")}$`,
      ),
    );
    const client = await env.signIn(world.clients[0]!.email);
    expect((await client.request(InboundEmailAddressDocument, { administrationId })).administration.inboundEmailAddress).to.equal(address);
    const other = (await staff.request(InboundEmailAddressDocument, { administrationId: gid("Administration", world.administrations[1]!.id) })).administration.inboundEmailAddress;
    expect(other).not.to.equal(address);
  });

  it("lands two PDFs and a UBL invoice on the desk as uploaded by the member who sent them, with sender and subject recorded", async () => {
    const sent = await send({
      from: world.clients[0]!.email,
      to: address,
      subject: "Fwd: facturen maart",
      text: "Zie bijlagen.",
      attachments: [
        { filename: "factuur-1.pdf", content: await pdfBytes(1, "Factuur 1") },
        { filename: "factuur-2.pdf", content: await pdfBytes(2, "Factuur 2") },
        { filename: "INV-77.xml", content: ublInvoice("INV-77") },
      ],
    });
    expect(sent).to.deep.include({ ok: true });
    expect((sent as { response: string }).response).to.match(/Taken: 3 documents/);
    const rows = await env.sql("SELECT filename, location, uploaded_by_user_id FROM documents WHERE administration_id = $1 ORDER BY filename", [world.administrations[0]!.id]);
    expect(rows.rows).to.deep.equal([
      { filename: "INV-77.xml", location: "DESK", uploaded_by_user_id: world.clients[0]!.id },
      { filename: "factuur-1.pdf", location: "DESK", uploaded_by_user_id: world.clients[0]!.id },
      { filename: "factuur-2.pdf", location: "DESK", uploaded_by_user_id: world.clients[0]!.id },
    ]);
    const audit = await env.sql("SELECT details FROM audit_events WHERE action = 'mail.received' AND administration_id = $1", [world.administrations[0]!.id]);
    expect(audit.rows[0]!.details).to.deep.include({ from: world.clients[0]!.email, subject: "Fwd: facturen maart", tray: null });
    expect((audit.rows[0]!.details as { documents: unknown[] }).documents).to.have.length(3);
  });

  it("files straight into a tray by a subject tag", async () => {
    const sent = await send({
      from: world.clients[0]!.email,
      to: address,
      subject: "[INK] bouwmarkt",
      attachments: [{ filename: "bouwmarkt.pdf", content: await pdfBytes(1, "Bouwmarkt") }],
    });
    expect(sent.ok).to.equal(true);
    const tray = await staff.request(TrayDocumentsDocument, { administrationId, filter: { tray: TrayKind.Purchase }, first: 10 });
    expect(tray.administration.documents.nodes.map((d) => d.filename)).to.include("bouwmarkt.pdf");
  });

  it("refuses, keeping nothing: an unknown address, a stranger, automatic mail, a bounce, 60 attachments, a file that is no document", async () => {
    const before = await documentCount();
    const pdf = await pdfBytes(1, "x");
    const unknown = await send({ from: world.clients[0]!.email, to: `someone-abcdefghjkmn@${DOMAIN}`, subject: "x", attachments: [{ filename: "a.pdf", content: pdf }] });
    expect(unknown).to.deep.include({ ok: false, code: 550 });
    expect((unknown as { response: string }).response).to.contain("No such mailbox");

    const stranger = await send({ from: "someone@elsewhere.test", to: address, subject: "x", attachments: [{ filename: "a.pdf", content: pdf }] });
    expect(stranger).to.deep.include({ ok: false, code: 550 });
    expect((stranger as { response: string }).response).to.contain("someone@elsewhere.test may not hand in documents here");
    // A member of another administration is a stranger here too.
    const neighbour = await send({ from: world.clients[1]!.email, to: address, subject: "x", attachments: [{ filename: "a.pdf", content: pdf }] });
    expect(neighbour).to.deep.include({ ok: false, code: 550 });

    const automatic = await send({
      from: world.clients[0]!.email,
      to: address,
      subject: "Out of office",
      headers: { "Auto-Submitted": "auto-replied" },
      attachments: [{ filename: "a.pdf", content: pdf }],
    });
    expect((automatic as { response: string }).response).to.contain("Automatic mail");
    const bounce = await send({
      envelope: { from: "", to: address },
      from: world.clients[0]!.email,
      to: address,
      subject: "x",
      attachments: [{ filename: "a.pdf", content: pdf }],
    });
    expect(bounce.ok).to.equal(false);

    const many = await send({
      from: world.clients[0]!.email,
      to: address,
      subject: "x",
      attachments: Array.from({ length: 60 }, (_, i) => ({ filename: `p${i}.pdf`, content: pdf })),
    });
    expect(many).to.deep.include({ ok: false, code: 552 });
    expect((many as { response: string }).response).to.contain("The mail has 60 attachments; at most 20 are taken per mail");

    const disguised = await send({
      from: world.clients[0]!.email,
      to: address,
      subject: "x",
      attachments: [
        { filename: "good.pdf", content: await pdfBytes(1, "good") },
        { filename: "invoice.pdf", content: executable() },
      ],
    });
    expect(disguised).to.deep.include({ ok: false, code: 550 });
    expect((disguised as { response: string }).response).to.contain("Not taken, nothing was kept");
    const none = await send({ from: world.clients[0]!.email, to: address, subject: "x", text: "no attachment" });
    expect((none as { response: string }).response).to.contain("no attachments");
    expect(await documentCount()).to.equal(before);
  });

  it("refuses a mail over MAIL_IN_MAX_SIZE after reading it (with bounded memory), keeping nothing", async () => {
    const before = await documentCount();
    // A raw SMTP dialogue that does not announce the size: 100 MB of body.
    const socket = net.connect(port, "127.0.0.1");
    const replies: string[] = [];
    let buffer = "";
    socket.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split("\r\n");
      buffer = lines.pop()!;
      replies.push(...lines);
    });
    const waitFor = async (count: number) => {
      const deadline = Date.now() + 60_000;
      while (replies.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      return replies[count - 1] ?? "";
    };
    await waitFor(1);
    socket.write("HELO test\r\n");
    await waitFor(2);
    socket.write(`MAIL FROM:<${world.clients[0]!.email}>\r\n`);
    await waitFor(3);
    socket.write(`RCPT TO:<${address}>\r\n`);
    expect(await waitFor(4)).to.match(/^250/);
    socket.write("DATA\r\n");
    expect(await waitFor(5)).to.match(/^354/);
    socket.write("Subject: big\r\nContent-Type: application/pdf\r\n\r\n");
    const line = "A".repeat(998) + "\r\n";
    const chunk = line.repeat(1024); // 1 MB
    for (let i = 0; i < 100; i++) if (!socket.write(chunk)) await new Promise((r) => socket.once("drain", r));
    socket.write(".\r\n");
    expect(await waitFor(6)).to.match(/^552 .*larger than 10 MB/);
    socket.end("QUIT\r\n");
    expect(await documentCount()).to.equal(before);
  });

  it("does not start half when the SMTP port is taken: the start fails and closes what it opened", async () => {
    const failed = await env.startServer({ MAIL_IN_PORT: String(port) }).catch((e: unknown) => e);
    expect((failed as NodeJS.ErrnoException).code).to.equal("EADDRINUSE");
    expect(env.servers).to.have.length(1);
  });

  it("rotates the address: the old one takes nothing more, the new one does", async () => {
    const rotated = unwrap((await staff.request(RotateInboundEmailAddressDocument, { input: { administrationId } })).rotateInboundEmailAddress);
    const fresh = rotated.administration!.inboundEmailAddress!;
    expect(fresh).not.to.equal(address);
    const old = await send({ from: world.clients[0]!.email, to: address, subject: "x", attachments: [{ filename: "old.pdf", content: await pdfBytes(1, "old") }] });
    expect(old).to.deep.include({ ok: false, code: 550 });
    const taken = await send({ from: world.clients[0]!.email, to: fresh, subject: "x", attachments: [{ filename: "new.pdf", content: await pdfBytes(1, "new") }] });
    expect(taken.ok).to.equal(true);
    const client = await env.signIn(world.clients[0]!.email);
    const refused = await client.request(RotateInboundEmailAddressDocument, { input: { administrationId } }).catch((e: unknown) => e);
    expect((refused as Error).constructor.name).to.equal("ForbiddenError");
  });
});

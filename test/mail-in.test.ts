// Documents by mail, over real SMTP (nodemailer to the intake): each administration's address takes
// the attachments of its members' mail onto the desk, as uploaded by the sender, or into a tray by a
// subject tag; unknown addresses, strangers, automatic mail, too many attachments, files that are no
// documents and oversized mails are refused during the SMTP dialogue, with a reason, keeping nothing;
// strangers' mail waits in a quarantine staff review (or is refused, as the administration chose).
import {
  DiscardQuarantinedMailDocument,
  InboundEmailAddressDocument,
  QuarantinedMailsDocument,
  QuarantineReason,
  ReleaseQuarantinedMailDocument,
  RotateInboundEmailAddressDocument,
  StrangerMail,
  TrayDocumentsDocument,
  TrayKind,
  UpdateAdministrationDocument,
  UserErrorCode,
  unwrap,
  type PortalDeskClient,
} from "@portaldesk/sdk";
import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { generate } from "selfsigned";
import { expect } from "chai";
import net from "node:net";
import nodemailer, { type SendMailOptions } from "nodemailer";
import { executable, pdfBytes, pngBytes, ublInvoice, zipBomb } from "./support/files.js";
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

  it("refuses, keeping nothing: an unknown address, automatic mail, a bounce, 60 attachments, a file that is no document, a zip bomb", async () => {
    const before = await documentCount();
    const pdf = await pdfBytes(1, "x");
    const unknown = await send({ from: world.clients[0]!.email, to: `someone-abcdefghjkmn@${DOMAIN}`, subject: "x", attachments: [{ filename: "a.pdf", content: pdf }] });
    expect(unknown).to.deep.include({ ok: false, code: 550 });
    expect((unknown as { response: string }).response).to.contain("No such mailbox");

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
    // 200 MB of zeros in 200 kB: archives are not documents, so nothing is unpacked.
    const bomb = await send({ from: world.clients[0]!.email, to: address, subject: "x", attachments: [{ filename: "facturen.zip", content: zipBomb(200 * 1024 ** 2) }] });
    expect(bomb).to.deep.include({ ok: false, code: 550 });
    expect((bomb as { response: string }).response).to.match(/Not taken, nothing was kept: .*facturen\.zip/);
    const none = await send({ from: world.clients[0]!.email, to: address, subject: "x", text: "no attachment" });
    expect((none as { response: string }).response).to.contain("no attachments");
    expect(await documentCount()).to.equal(before);
  });

  it("keeps a stranger's mail for staff, who see who sent what and put it on the desk (in the tray its tag names) or discard it", async () => {
    const before = await documentCount();
    const kept = await send({
      from: "Boekhouding Leverancier <facturen@leverancier.test>",
      envelope: { from: "facturen@leverancier.test", to: address },
      to: address,
      subject: "[BON] parkeren oktober",
      attachments: [
        { filename: "parkeren.pdf", content: await pdfBytes(1, "Parkeren") },
        { filename: "bon.png", content: await pngBytes() },
      ],
    });
    expect(kept).to.deep.include({ ok: true });
    expect((kept as { response: string }).response).to.contain("Kept for the firm to review");
    const spam = await send({
      from: "spam@elsewhere.test",
      to: address,
      subject: "Goedkope leningen",
      attachments: [{ filename: "aanbod.pdf", content: await pdfBytes(1, "Aanbod") }],
    });
    expect(spam.ok).to.equal(true);
    // A stranger's junk is refused outright, not kept for review.
    const junk = await send({ from: "spam@elsewhere.test", to: address, subject: "x", attachments: [{ filename: "invoice.pdf\r\n250 2.0.0 Taken", content: executable() }] });
    expect(junk).to.deep.include({ ok: false, code: 550 });
    // The name from the mail stays on the one reply line.
    expect((junk as { response: string }).response).to.match(/^550 [^\r\n]*invoice\.pdf 250 2\.0\.0 Taken is not a document PortalDesk takes$/);
    expect(await documentCount()).to.equal(before);

    const client = await env.signIn(world.clients[0]!.email);
    const refused = await client.request(QuarantinedMailsDocument, { administrationId }).catch((e: unknown) => e);
    expect((refused as Error).constructor.name).to.equal("ForbiddenError");
    const list = (await staff.request(QuarantinedMailsDocument, { administrationId, first: 10 })).administration.quarantinedMails;
    expect(list.totalCount).to.equal(2);
    expect(list.nodes.map((m) => m.subject)).to.deep.equal(["Goedkope leningen", "[BON] parkeren oktober"]);
    const [offer, parking] = list.nodes as [(typeof list.nodes)[0], (typeof list.nodes)[0]];
    expect(parking).to.deep.include({
      reason: QuarantineReason.UnknownSender,
      sender: "facturen@leverancier.test",
      from: '"Boekhouding Leverancier" <facturen@leverancier.test>',
      bodyAsPdf: false,
    });
    expect(parking.attachments.map((a) => [a.filename, a.contentType])).to.deep.equal([
      ["parkeren.pdf", "application/pdf"],
      ["bon.png", "image/png"],
    ]);
    expect(parking.attachments.every((a) => a.size > 0)).to.equal(true);

    // Two staff members release it at once: one puts it on the desk, the other is told it is gone.
    const releases = await Promise.all([0, 1].map(() => staff.request(ReleaseQuarantinedMailDocument, { input: { id: parking.id } })));
    const released = releases.map((r) => r.releaseQuarantinedMail).find((p) => p.documents)!;
    const late = releases.map((r) => r.releaseQuarantinedMail).find((p) => !p.documents)!;
    expect(released.documents!.map((d) => [d.filename, d.tray])).to.deep.equal([
      ["parkeren.pdf", TrayKind.Receipts],
      ["bon.png", TrayKind.Receipts],
    ]);
    expect(late.userErrors[0]).to.deep.include({ code: UserErrorCode.NotFound });
    const uploaders = await env.sql("SELECT DISTINCT uploaded_by_user_id FROM documents WHERE filename IN ('parkeren.pdf', 'bon.png')");
    expect(uploaders.rows).to.deep.equal([{ uploaded_by_user_id: world.accountant.id }]);

    expect(unwrap((await staff.request(DiscardQuarantinedMailDocument, { input: { id: offer.id } })).discardQuarantinedMail).discardedMailId).to.equal(offer.id);
    expect((await staff.request(QuarantinedMailsDocument, { administrationId })).administration.quarantinedMails.totalCount).to.equal(0);
    expect(await documentCount()).to.equal(before + 2);
    const actions = await env.sql("SELECT action, details->>'from' AS sender FROM audit_events WHERE action LIKE 'mail.%' AND details->>'from' <> $1 ORDER BY seq", [
      world.clients[0]!.email,
    ]);
    expect(actions.rows).to.deep.equal([
      { action: "mail.quarantined", sender: "facturen@leverancier.test" },
      { action: "mail.quarantined", sender: "spam@elsewhere.test" },
      { action: "mail.released", sender: "facturen@leverancier.test" },
      { action: "mail.discarded", sender: "spam@elsewhere.test" },
    ]);

    // Waiting mail is forgotten after the retention.
    await send({ from: "old@elsewhere.test", to: address, subject: "oud", attachments: [{ filename: "oud.pdf", content: await pdfBytes(1, "Oud") }] });
    await env.sql("UPDATE quarantined_mails SET received_at = now() - interval '31 days'");
    expect(await env.server.services.mailQuarantine.prune(new Date(Date.now() - 30 * 86400_000))).to.equal(1);
    expect((await staff.request(QuarantinedMailsDocument, { administrationId })).administration.quarantinedMails.totalCount).to.equal(0);
  });

  it("refuses strangers in the SMTP dialogue when the administration says so; a member of another administration is a stranger here", async () => {
    const admin = await env.signIn(world.admin.email);
    const setStrangers = (mailFromStrangers: StrangerMail) => admin.request(UpdateAdministrationDocument, { input: { id: administrationId, mailFromStrangers } });
    unwrap((await setStrangers(StrangerMail.Refuse)).updateAdministration);
    try {
      const pdf = await pdfBytes(1, "x");
      const stranger = await send({ from: "someone@elsewhere.test", to: address, subject: "x", attachments: [{ filename: "a.pdf", content: pdf }] });
      expect(stranger).to.deep.include({ ok: false, code: 550 });
      expect((stranger as { response: string }).response).to.contain("someone@elsewhere.test may not hand in documents here");
      const neighbour = await send({ from: world.clients[1]!.email, to: address, subject: "x", attachments: [{ filename: "a.pdf", content: pdf }] });
      expect(neighbour).to.deep.include({ ok: false, code: 550 });
      const member = await send({ from: world.clients[0]!.email, to: address, subject: "x", attachments: [{ filename: "member.pdf", content: await pdfBytes(1, "member") }] });
      expect(member.ok).to.equal(true);
      expect((await staff.request(QuarantinedMailsDocument, { administrationId })).administration.quarantinedMails.totalCount).to.equal(0);
    } finally {
      await setStrangers(StrangerMail.Quarantine);
    }
  });

  it("makes a mail without attachments a PDF of its text when the administration wants that; HTML is read as text, not rendered", async () => {
    const admin = await env.signIn(world.admin.email);
    const setBody = (mailBodyAsPdf: boolean) => admin.request(UpdateAdministrationDocument, { input: { id: administrationId, mailBodyAsPdf } });
    expect((await staff.request(InboundEmailAddressDocument, { administrationId })).administration.mailBodyAsPdf).to.equal(false);
    unwrap((await setBody(true)).updateAdministration);
    try {
      const plain = await send({
        from: world.clients[0]!.email,
        to: address,
        subject: "Fwd: [INK] Factuur telefoon november",
        text: "Bedrag: € 42,10\nIBAN: NL91ABNA0417164300\n\n" + "Een lange regel die over de hele breedte van de bladzijde loopt en dus moet worden afgebroken. ".repeat(8),
      });
      expect((plain as { response: string }).response).to.match(/Taken: 1 document$/);
      const html = await send({
        from: world.clients[0]!.email,
        to: address,
        subject: "Betaalbewijs",
        html: '<p>Hallo <b>wereld</b>, uw betaling is ontvangen.</p><img src="http://tracker.test/pixel.png">',
      });
      expect(html.ok).to.equal(true);
      const rows = (
        await env.sql(
          "SELECT filename, format, location, tray, page_count, sha256 FROM documents WHERE filename IN ('Factuur telefoon november.pdf', 'Betaalbewijs.pdf') ORDER BY filename",
        )
      ).rows as Array<{
        filename: string;
        format: string;
        location: string;
        tray: string | null;
        page_count: number;
        sha256: string;
      }>;
      expect(rows.map((r) => [r.filename, r.format, r.location, r.tray, r.page_count])).to.deep.equal([
        ["Betaalbewijs.pdf", "PDF", "DESK", null, 1],
        ["Factuur telefoon november.pdf", "PDF", "TRAY", "PURCHASE", 1],
      ]);
      const textOf = async (sha256: string) => {
        const chunks: Buffer[] = [];
        for await (const chunk of await env.server.services.storage.get(sha256)) chunks.push(chunk as Buffer);
        return execFileSync("pdftotext", ["-", "-"], { input: Buffer.concat(chunks) }).toString();
      };
      const invoice = await textOf(rows[1]!.sha256);
      expect(invoice).to.contain("Bedrag: € 42,10").and.to.contain("NL91ABNA0417164300").and.to.contain("Van / From").and.to.contain(world.clients[0]!.email);
      expect(invoice).to.contain("afgebroken. Een lange regel");
      const receipt = await textOf(rows[0]!.sha256);
      expect(receipt).to.contain("Hallo wereld, uw betaling is ontvangen.");
      expect(receipt).not.to.contain("<p>");
      // The same mail again is the same PDF, so the duplicate check sees it (flagged, by this administration's policy).
      const mail = { from: world.clients[0]!.email, to: address, subject: "Zelfde", date: new Date("2026-11-30T10:00:00Z"), text: "Zelfde tekst" };
      expect((await send(mail)).ok).to.equal(true);
      expect((await send(mail)).ok).to.equal(true);
      const same = (await env.sql("SELECT sha256, duplicate_of_id FROM documents WHERE filename = 'Zelfde.pdf' ORDER BY uploaded_at")).rows as Array<{
        sha256: string;
        duplicate_of_id: string | null;
      }>;
      expect(same).to.have.length(2);
      expect(same[1]!.sha256).to.equal(same[0]!.sha256);
      expect(same[1]!.duplicate_of_id).to.be.a("string");
    } finally {
      await setBody(false);
    }
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

  it("behind a relay that checks senders, takes a member's mail only when the relay confirmed it; the rest waits for staff", async () => {
    const relayed = await env.startServer({ MAIL_IN_PORT: "0", MAIL_IN_AUTHSERV_ID: "mx.firm.test" });
    const current = (await staff.request(InboundEmailAddressDocument, { administrationId })).administration.inboundEmailAddress!;
    const sendVia = async (subject: string, headers: Record<string, string>) => {
      const transport = nodemailer.createTransport({ host: "127.0.0.1", port: relayed.mailInPort!, secure: false, ignoreTLS: true });
      const info = await transport.sendMail({
        from: world.clients[0]!.email,
        to: current,
        subject,
        headers,
        attachments: [{ filename: `${subject}.pdf`, content: await pdfBytes(1, subject) }],
      });
      return info.response;
    };
    const domain = world.clients[0]!.email.split("@")[1];
    expect(
      await sendVia("confirmed", {
        "Authentication-Results": `mx.firm.test; spf=pass smtp.mailfrom=${domain}; dkim=pass header.d=${domain}; dmarc=pass (p=reject) header.from=${domain}`,
      }),
    ).to.match(/Taken: 1 document/);
    expect(await sendVia("spf-only", { "Authentication-Results": `mx.firm.test; spf=pass smtp.mailfrom=${domain}` })).to.match(/Taken: 1 document/);
    expect(await sendVia("unchecked", {})).to.contain("Kept for the firm to review");
    expect(await sendVia("failed", { "Authentication-Results": `mx.firm.test; spf=pass smtp.mailfrom=${domain}; dmarc=fail header.from=${domain}` })).to.contain("Kept");
    // A verdict under another server's name is the sender's own word.
    expect(await sendVia("forged", { "Authentication-Results": `evil.test; dmarc=pass header.from=${domain}` })).to.contain("Kept");
    const waiting = (await staff.request(QuarantinedMailsDocument, { administrationId })).administration.quarantinedMails.nodes;
    expect(waiting.map((m) => [m.subject, m.reason])).to.deep.equal([
      ["forged", QuarantineReason.UnverifiedSender],
      ["failed", QuarantineReason.UnverifiedSender],
      ["unchecked", QuarantineReason.UnverifiedSender],
    ]);
  });

  it("offers STARTTLS with the configured certificate, and records whether a mail came encrypted; a missing key file stops the start", async () => {
    const pki = await generate([{ name: "commonName", value: DOMAIN }], { keyType: "rsa", keySize: 2048, algorithm: "sha256" });
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "mail-in-tls-"));
    await fs.writeFile(path.join(dir, "cert.pem"), pki.cert);
    await fs.writeFile(path.join(dir, "key.pem"), pki.private);
    const secured = await env.startServer({ MAIL_IN_PORT: "0", MAIL_IN_TLS_CERT: path.join(dir, "cert.pem"), MAIL_IN_TLS_KEY: path.join(dir, "key.pem") });
    const current = (await staff.request(InboundEmailAddressDocument, { administrationId })).administration.inboundEmailAddress!;
    const sent = await nodemailer
      .createTransport({ host: "127.0.0.1", port: secured.mailInPort!, secure: false, requireTLS: true, tls: { ca: pki.cert, servername: DOMAIN } })
      .sendMail({ from: world.clients[0]!.email, to: current, subject: "versleuteld", attachments: [{ filename: "versleuteld.pdf", content: await pdfBytes(1, "TLS") }] });
    expect(sent.response).to.match(/Taken: 1 document/);
    // The plain intake does not offer it: a sender that insists on TLS is told so.
    const plain = await nodemailer
      .createTransport({ host: "127.0.0.1", port, secure: false, requireTLS: true })
      .sendMail({ from: world.clients[0]!.email, to: current, subject: "x", text: "x" })
      .catch((e: Error) => e);
    expect(String(plain)).to.match(/STARTTLS/);
    const audit = await env.sql(
      "SELECT details->>'subject' AS subject, details->'tls' AS tls FROM audit_events WHERE action = 'mail.received' AND details->>'subject' IN ('versleuteld', '[INK] bouwmarkt')",
    );
    expect(audit.rows.map((r) => [r.subject, r.tls]).sort()).to.deep.equal([
      ["[INK] bouwmarkt", false],
      ["versleuteld", true],
    ]);
    const failed = await env
      .startServer({ MAIL_IN_PORT: "0", MAIL_IN_TLS_CERT: path.join(dir, "cert.pem"), MAIL_IN_TLS_KEY: path.join(dir, "missing.pem") })
      .catch((e: unknown) => e);
    expect(String(failed)).to.contain("missing.pem");
    await fs.rm(dir, { recursive: true });
  });
});

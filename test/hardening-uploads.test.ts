// Malformed multipart requests, as an outside probe sent them: each once stopped the whole process
// (a rejected upload promise nobody awaited) or hung. Now each gets a clear answer, loses nothing
// that was sent correctly, and the server goes on serving.
import { expect } from "chai";
import fs from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { pdfBytes, ublInvoice } from "./support/files.js";
import { eventually, gid, TestEnv, type World } from "./support/harness.js";
import { leaksInternals, multipart, post, postMultipart, sessionToken, SOME_ADMINISTRATION, UPLOAD_DOCUMENTS, uploadOperation, BOUNDARY } from "./support/raw-http.js";
import { exited, startServerProcess } from "./support/server-process.js";
import { processTempDir, sweepStaleTempFiles } from "../src/storage/temp-files.js";

const PUBLISH_REPORT = "mutation($input: PublishReportInput!) { publishReport(input: $input) { report { id } userErrors { code message field } } }";

describe("hardening: malformed uploads", () => {
  let env: TestEnv;
  let world: World;
  let clientToken: string;
  let staffToken: string;
  let graphqlUrl: string;
  let administrationId: string;

  // In the server's own process an unhandled rejection would have ended it: none may occur.
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);

  before(async () => {
    process.on("unhandledRejection", record);
    env = await TestEnv.create();
    world = await env.createWorld({ administrations: 1 });
    graphqlUrl = `${env.server.url}/graphql`;
    administrationId = gid("Administration", world.administrations[0]!.id);
    clientToken = await sessionToken(env.server.url, world.clients[0]!.email);
    staffToken = await sessionToken(env.server.url, world.accountant.email);
  });
  afterEach(async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled.map(String)).to.deep.equal([]);
  });
  after(async () => {
    process.off("unhandledRejection", record);
    await env.close();
  });

  async function stillServing(): Promise<void> {
    const answer = await post(graphqlUrl, JSON.stringify({ query: "{ __typename }" }), { "content-type": "application/json" });
    expect(answer.body.data).to.deep.equal({ __typename: "Query" });
  }

  it("answers an anonymous upload whose file never comes with UNAUTHENTICATED, and keeps serving", async () => {
    const body = multipart(uploadOperation(UPLOAD_DOCUMENTS, { input: { administrationId: SOME_ADMINISTRATION, files: [null] } }, [["variables.input.files.0"]]));
    const answer = await postMultipart(graphqlUrl, body);
    expect(answer.body.errors?.[0]?.extensions?.code).to.equal("UNAUTHENTICATED");
    await stillServing();
  });

  it("keeps the first of two files when the second never comes, and says which one is missing", async () => {
    const parts = uploadOperation(UPLOAD_DOCUMENTS, { input: { administrationId, files: [null, null] } }, [["variables.input.files.0"], ["variables.input.files.1"]]);
    const body = multipart([...parts, { name: "0", filename: "first.pdf", content: await pdfBytes(1, "First") }]);
    const answer = await postMultipart(graphqlUrl, body, clientToken);
    expect(answer.status).to.equal(200);
    const payload = (answer.body.data as { uploadDocuments: { documents: Array<{ filename: string }>; userErrors: Array<{ field: string[]; message: string }> } }).uploadDocuments;
    expect(payload.documents.map((d) => d.filename)).to.deep.equal(["first.pdf"]);
    expect(payload.userErrors).to.have.length(1);
    expect(payload.userErrors[0]!.field).to.deep.equal(["input", "files", "1"]);
    expect(payload.userErrors[0]!.message).to.match(/did not arrive/);
    await stillServing();
  });

  it("answers publishReport with a file that never comes as a userError on the file", async () => {
    const variables = { input: { administrationId, file: null, title: "Jaarrekening", kind: "ANNUAL_ACCOUNTS", periodStart: "2025-01-01", periodEnd: "2025-12-31" } };
    const answer = await postMultipart(graphqlUrl, multipart(uploadOperation(PUBLISH_REPORT, variables, [["variables.input.file"]])), staffToken);
    expect(answer.status, answer.text).to.equal(200);
    const payload = (answer.body.data as { publishReport: { report: unknown; userErrors: Array<{ field: string[] }> } }).publishReport;
    expect(payload.report).to.equal(null);
    expect(payload.userErrors[0]!.field).to.deep.equal(["input", "file"]);
    const anonymous = await postMultipart(
      graphqlUrl,
      multipart(uploadOperation(PUBLISH_REPORT, { input: { ...variables.input, administrationId: SOME_ADMINISTRATION } }, [["variables.input.file"]])),
    );
    expect(anonymous.body.errors?.[0]?.extensions?.code).to.equal("UNAUTHENTICATED");
    await stillServing();
  });

  it("answers a control character or a line break in a part's filename without failing", async () => {
    for (const filename of ["a\x01b.pdf", "a\r\nb.pdf", "a\x00b.pdf"]) {
      for (const token of [null, clientToken]) {
        const parts = uploadOperation(UPLOAD_DOCUMENTS, { input: { administrationId: token ? administrationId : SOME_ADMINISTRATION, files: [null] } }, [
          ["variables.input.files.0"],
        ]);
        const answer = await postMultipart(graphqlUrl, multipart([...parts, { name: "0", filename, content: await pdfBytes(1) }]), token);
        expect(answer.status, `${JSON.stringify(filename)}: ${answer.text}`).to.be.below(500);
        expect(leaksInternals(answer.text), answer.text).to.equal(false);
        if (token && answer.status === 200) {
          const payload = (answer.body.data as { uploadDocuments: { documents: unknown[]; userErrors: unknown[] } }).uploadDocuments;
          expect(payload.documents).to.deep.equal([]);
          expect(payload.userErrors).to.have.length(1);
        }
      }
    }
    await stillServing();
  });

  it("refuses a path, a right-to-left override and an unpaired surrogate in a filename, wherever the file variable sits", async () => {
    const query = "mutation($f: Upload!, $a: ID!) { uploadDocuments(input: { administrationId: $a, files: [$f] }) { documents { id } userErrors { code message field } } }";
    for (const [filename, reason] of [
      ["../../etc/passwd.pdf", /path/],
      ["factuur\u202Efdp.exe", /bidirectional|control/],
    ] as const) {
      const parts = uploadOperation(query, { f: null, a: administrationId }, [["variables.f"]]);
      const answer = await postMultipart(
        graphqlUrl,
        multipart([...parts, { name: "0", filename: Buffer.from(filename, "utf8").toString("latin1"), content: await pdfBytes(1) }]),
        clientToken,
      );
      const payload = (answer.body.data as { uploadDocuments: { documents: unknown[]; userErrors: Array<{ message: string }> } }).uploadDocuments;
      expect(payload.documents, filename).to.deep.equal([]);
      expect(payload.userErrors[0]!.message, filename).to.match(reason);
    }
    const { rows } = await env.sql<{ n: string }>("SELECT count(*) AS n FROM documents");
    expect(Number(rows[0]!.n)).to.equal(1); // only the good first file of an earlier test
  });

  it("indexes an e-invoice with NUL bytes after its first 4 KiB (dropped from the text, not from the file)", async () => {
    const invoice = Buffer.concat([ublInvoice("NUL-2026-7"), Buffer.from(`${" ".repeat(5000)}`), Buffer.alloc(500, 0), Buffer.from(" Zonnepanelen\n")]);
    const parts = uploadOperation(UPLOAD_DOCUMENTS, { input: { administrationId, files: [null] } }, [["variables.input.files.0"]]);
    const answer = await postMultipart(graphqlUrl, multipart([...parts, { name: "0", filename: "factuur.xml", content: invoice }]), clientToken);
    const payload = (answer.body.data as { uploadDocuments: { documents: Array<{ id: string }> } }).uploadDocuments;
    expect(payload.documents, answer.text).to.have.length(1);
    await eventually(
      async () =>
        (
          await env.sql<{ body_text: string | null }>("SELECT body_text FROM documents WHERE filename = 'factuur.xml' AND text_extracted_at IS NOT NULL")
        ).rows[0]?.body_text?.includes("Zonnepanelen"),
      15_000,
    );
    const stored = await env.sql<{ byte_size: string }>("SELECT byte_size FROM documents WHERE filename = 'factuur.xml'");
    expect(Number(stored.rows[0]!.byte_size)).to.equal(invoice.length);
  });

  it("answers a cut-off multipart body with a 400, and a file cut off mid-way with a userError", async () => {
    const parts = uploadOperation(UPLOAD_DOCUMENTS, { input: { administrationId, files: [null] } }, [["variables.input.files.0"]]);
    const whole = multipart([...parts, { name: "0", filename: "cut.pdf", content: await pdfBytes(3) }]);
    const beforeMap = await postMultipart(graphqlUrl, whole.subarray(0, 60), clientToken);
    expect(beforeMap.status).to.equal(400);
    expect(beforeMap.body.errors?.[0]?.extensions?.code).to.equal("BAD_REQUEST");
    const midFile = await postMultipart(graphqlUrl, whole.subarray(0, whole.length - 200), clientToken);
    expect(midFile.status, midFile.text).to.be.below(500);
    expect(leaksInternals(midFile.text), midFile.text).to.equal(false);
    const { rows } = await env.sql<{ n: string }>("SELECT count(*) AS n FROM documents WHERE filename = 'cut.pdf'");
    expect(Number(rows[0]!.n)).to.equal(0);
    await stillServing();
  });

  it("refuses a map path that is not a null in operations (files.99999999 would grow a list that long)", async () => {
    for (const path of ["variables.input.files.99999999", "variables.__proto__.x", "variables.input.administrationId"]) {
      const parts = uploadOperation(UPLOAD_DOCUMENTS, { input: { administrationId, files: [null] } }, [[path]]);
      const answer = await postMultipart(graphqlUrl, multipart([...parts, { name: "0", filename: "x.pdf", content: await pdfBytes(1) }]), clientToken);
      expect(answer.status, path).to.equal(400);
      expect(answer.body.errors?.[0]?.message).to.match(/not a null in operations/);
    }
  });

  it("answers a multipart request without a boundary before its body has ended", async () => {
    const url = new URL(graphqlUrl);
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = http.request({
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        headers: { "content-type": "multipart/form-data", "apollo-require-preflight": "1", "transfer-encoding": "chunked" },
      });
      request.on("response", (response) => {
        let text = "";
        response.on("data", (c: Buffer) => (text += c.toString()));
        response.on("end", () => {
          resolve({ status: response.statusCode!, text });
          request.destroy();
        });
      });
      request.on("error", (error) => (error.message.includes("socket hang up") ? undefined : reject(error)));
      request.write(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{`); // and never more
    });
    expect(answer.status).to.equal(400);
    expect(answer.text).to.match(/boundary/);
  });
});

describe("hardening: the server process survives malformed uploads", function () {
  this.timeout(120_000);
  let env: TestEnv;

  before(async () => {
    env = await TestEnv.create();
  });
  after(() => env.close());

  it("answers a missing file and a malformed part header, and is still up", async () => {
    const server = await startServerProcess({ DATABASE_URL: env.dbUrl, DATA_DIR: env.dataDir, LOG_LEVEL: "warn" });
    try {
      const url = `${server.url}/graphql`;
      const missing = multipart(uploadOperation(UPLOAD_DOCUMENTS, { input: { administrationId: SOME_ADMINISTRATION, files: [null] } }, [["variables.input.files.0"]]));
      expect((await postMultipart(url, missing)).body.errors?.[0]?.extensions?.code).to.equal("UNAUTHENTICATED");
      const parts = uploadOperation(UPLOAD_DOCUMENTS, { input: { administrationId: SOME_ADMINISTRATION, files: [null] } }, [["variables.input.files.0"]]);
      await postMultipart(url, multipart([...parts, { name: "0", filename: "a\x01b.pdf", content: "%PDF-1.4" }]));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).to.equal(200);
      expect(server.child.exitCode).to.equal(null);
      expect(server.output()).not.to.match(/unhandled promise rejection|uncaught exception/);
    } finally {
      await server.stop();
    }
  });

  it("removes what a process killed mid-upload left behind, when the next one starts", async () => {
    const world = await env.createWorld({ administrations: 1 });
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "portaldesk-crash-"));
    const first = await startServerProcess({ DATABASE_URL: env.dbUrl, DATA_DIR: dataDir, LOG_LEVEL: "warn" });
    const token = await sessionToken(first.url, world.clients[0]!.email);
    const folderOf = async (pid: number) => (await fs.readdir(path.join(dataDir, "tmp"))).find((name) => name.startsWith(`${os.hostname()}-${pid}-`));
    const processDir = path.join(dataDir, "tmp", (await folderOf(first.child.pid!))!);
    const bytesIn = async (dir: string): Promise<number> => {
      let total = 0;
      for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])) {
        if (entry.isFile()) total += (await fs.stat(path.join(entry.parentPath, entry.name))).size;
      }
      return total;
    };
    // An upload of 40 MB of which 8 MB are sent before the server is killed.
    const url = new URL(`${first.url}/graphql`);
    const parts = uploadOperation(UPLOAD_DOCUMENTS, { input: { administrationId: gid("Administration", world.administrations[0]!.id), files: [null] } }, [
      ["variables.input.files.0"],
    ]);
    const head = multipart([...parts, { name: "0", filename: "big.pdf", content: "" }], { end: false }).subarray(0, -2);
    const request = http.request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: "POST",
      headers: {
        "content-type": `multipart/form-data; boundary=${BOUNDARY}`,
        "apollo-require-preflight": "1",
        authorization: `Bearer ${token}`,
        "content-length": String(head.length + 40 * 1024 ** 2),
      },
    });
    request.on("error", () => undefined);
    request.write(head);
    request.write(Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(8 * 1024 ** 2 - 9, 0x20)]));
    const deadline = Date.now() + 20_000;
    while ((await bytesIn(processDir)) < 4 * 1024 ** 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    first.child.kill("SIGKILL");
    await exited(first.child);
    request.destroy();
    const left = await bytesIn(processDir);
    expect(left, "the killed process's temp files (upload buffer and intake)").to.be.at.least(4 * 1024 ** 2);
    expect((await fs.readdir(path.join(processDir, "buffers"))).some((name) => name.startsWith("capacitor-"))).to.equal(true);

    const second = await startServerProcess({ DATABASE_URL: env.dbUrl, DATA_DIR: dataDir, LOG_LEVEL: "warn" });
    try {
      expect(await fs.stat(processDir).catch(() => null)).to.equal(null);
      expect(await bytesIn(path.join(dataDir, "tmp"))).to.equal(0);
    } finally {
      await second.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });

  it("logs an unhandled rejection and an uncaught exception and keeps running (the last line of defence)", async () => {
    const { spawn } = await import("node:child_process");
    const script = `
      import { pino } from "pino";
      import { installProcessGuards } from "./src/server/process-guards.ts";
      installProcessGuards(pino());
      Promise.reject(new Error("nobody awaits me"));
      setTimeout(() => { throw new Error("thrown in a timer"); }, 10);
      setTimeout(() => { console.log("STILL RUNNING"); process.exit(0); }, 200);
    `;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: new URL("..", import.meta.url).pathname,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code, output).to.equal(0);
    expect(output).to.contain("STILL RUNNING");
    expect(output).to.contain("unhandled promise rejection");
    expect(output).to.contain("nobody awaits me");
    expect(output).to.contain("uncaught exception");
  });
});

describe("temporary files", () => {
  it("sweeps what nobody has touched for the grace period, and never a live process's folder", async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "portaldesk-sweep-"));
    try {
      const root = path.join(dataDir, "tmp");
      const own = processTempDir(dataDir);
      const otherHost = path.join(root, "other-host-4242-777");
      const recentOtherHost = path.join(root, "another-host-4243-778");
      // A folder of this host whose pid lives (ours) but whose process started at another time: an earlier incarnation.
      const earlierIncarnation = path.join(root, `${os.hostname()}-${process.pid}-1`);
      for (const dir of [own, otherHost, path.join(otherHost, "buffers"), recentOtherHost, earlierIncarnation]) await fs.mkdir(dir, { recursive: true });
      const old = new Date(Date.now() - 3 * 3600 * 1000);
      const write = async (file: string, when: Date | null) => {
        await fs.writeFile(file, "x");
        if (when) await fs.utimes(file, when, when);
      };
      await write(path.join(own, "upload-old"), old); // a live process's: kept, however old
      await write(path.join(otherHost, "upload-old"), old);
      await fs.utimes(otherHost, old, old);
      await write(path.join(recentOtherHost, "upload-new"), null);
      await write(path.join(root, "upload-legacy"), old);
      await write(path.join(earlierIncarnation, "upload-old"), old);
      await fs.utimes(earlierIncarnation, old, old);
      const removed = await sweepStaleTempFiles(dataDir, 3600, () => undefined);
      expect(removed).to.equal(3); // the other host's stale file, the legacy file, the earlier incarnation's folder
      expect((await fs.readdir(root)).sort()).to.deep.equal([path.basename(otherHost), path.basename(recentOtherHost), path.basename(own)].sort());
      expect(await fs.readdir(own)).to.deep.equal(["upload-old"]);
      expect(await fs.readdir(otherHost)).to.deep.equal(["buffers"]); // its folders stay for its (maybe idle) process
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});

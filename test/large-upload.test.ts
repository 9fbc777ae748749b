// A 100 MB scan through the real multipart path, streamed by the SDK from disk, to a server
// running in its own process whose resident memory is sampled the whole time.
import { createClient, DocumentDocument, SignInDocument, UploadDocumentsDocument, unwrap } from "@portaldesk/sdk";
import { expect } from "chai";
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { writeLargePdf } from "./support/files.js";
import { uploadFromPath } from "@portaldesk/sdk/node";
import { gid, PASSWORD, TestEnv, type World } from "./support/harness.js";
import { startServerProcess, type ServerProcess } from "./support/server-process.js";

const MB = 1024 * 1024;

describe("a 100 MB upload", function () {
  this.timeout(180_000);
  let env: TestEnv;
  let world: World;
  let file: string;
  let server: ServerProcess;

  before(async () => {
    env = await TestEnv.create();
    world = await env.createWorld({ administrations: 1 });
    file = path.join(env.dataDir, "big-scan.pdf");
    await writeLargePdf(file, 100 * MB);
    server = await startServerProcess({ DATABASE_URL: env.dbUrl, DATA_DIR: env.dataDir, LOG_LEVEL: "warn" });
  });
  after(async () => {
    await server?.stop();
    await env.close();
  });

  it("streams to storage with bounded memory, and downloads as the same bytes", async () => {
    const anonymous = createClient({ url: `${server.url}/graphql` });
    const session = unwrap((await anonymous.request(SignInDocument, { input: { email: world.clients[0]!.email, password: PASSWORD } })).signIn);
    const client = createClient({ url: `${server.url}/graphql`, token: session.token });
    const expectedSha = createHash("sha256");
    await pipeline(createReadStream(file), expectedSha);
    const size = (await fs.stat(file)).size;

    const baseline = await server.rss();
    let peak = baseline;
    const sampler = setInterval(() => {
      void server.rss().then((rss) => (peak = Math.max(peak, rss)));
    }, 10);
    let result;
    try {
      result = unwrap(
        (
          await client.request(UploadDocumentsDocument, {
            input: {
              administrationId: gid("Administration", world.administrations[0]!.id),
              files: [await uploadFromPath(file)],
            },
          })
        ).uploadDocuments,
      );
    } finally {
      clearInterval(sampler);
    }
    const growth = (peak - baseline) / MB;
    console.log(`      server memory growth during the 100 MB upload: ${growth.toFixed(1)} MB (rss ${(baseline / MB).toFixed(0)} → ${(peak / MB).toFixed(0)} MB)`);
    expect(growth).to.be.lessThan(64);

    const document = result.documents[0]!;
    expect(document).to.include({ filename: "big-scan.pdf", byteSize: size, pageCount: 1, contentType: "application/pdf", sha256: expectedSha.digest("hex") });

    const { node } = await client.request(DocumentDocument, { id: document.id });
    const response = await fetch((node as { downloadUrl: string }).downloadUrl);
    expect(response.status).to.equal(200);
    const downloaded = createHash("sha256");
    await pipeline(Readable.fromWeb(response.body as never), downloaded);
    expect(downloaded.digest("hex")).to.equal(document.sha256);
    expect((await fs.readdir(path.join(env.dataDir, "tmp"))).filter((f) => f.startsWith("upload-"))).to.deep.equal([]);
  });
});

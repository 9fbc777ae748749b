// A decompression bomb (a 30000 × 30000 PNG of ~110 kB) uploaded to a real server process, beside
// an ordinary photo of about the same file size as the baseline, interleaved: time to the answer
// and the server's resident memory growth during the request (sampled every 5 ms from /proc).
// Run: node --import tsx bench/image-bomb.bench.ts (BENCH_ROUNDS, default 10).
import "reflect-metadata";
import { SignInDocument, UploadDocumentsDocument, createClient, unwrap, upload } from "@portaldesk/sdk";
import sharp from "sharp";
import { toGlobalId } from "../src/graphql/global-id.js";
import { bombPng } from "../test/support/files.js";
import { startServerProcess } from "../test/support/server-process.js";
import { BENCH_PASSWORD, benchWorld } from "./support/bench-world.js";
import { withBenchDatabase } from "./support/bench-database.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

await withBenchDatabase("bomb", async ({ url, dataDir }) => {
  const server = await startServerProcess({ DATABASE_URL: url, DATA_DIR: dataDir, LOG_LEVEL: "error", RUN_JOBS: "false" });
  try {
    const world = await benchWorld(url);
    const token = unwrap(
      (await createClient({ url: `${server.url}/graphql` }).request(SignInDocument, { input: { email: world.clientEmail, password: BENCH_PASSWORD } })).signIn,
    ).token!;
    const client = createClient({ url: `${server.url}/graphql`, token });
    const administrationId = toGlobalId("Administration", world.administrationId);
    const bomb = bombPng(30000, 30000);
    // Noise does not compress: a 2000 × 1500 photo-like JPEG of a similar size.
    const noise = Buffer.alloc(2000 * 1500 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    const photo = await sharp(noise, { raw: { width: 2000, height: 1500, channels: 3 } })
      .jpeg({ quality: 30 })
      .toBuffer();

    const measure = async (bytes: Buffer, name: string) => {
      const before = await server.rss();
      let peak = before;
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          peak = Math.max(peak, await server.rss());
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      const started = performance.now();
      const result = await client.request(UploadDocumentsDocument, { input: { administrationId, files: [upload(bytes, { filename: name })] } });
      const ms = performance.now() - started;
      sampling = false;
      await sampler;
      return { ms, growthMb: (peak - before) / 1024 ** 2, refused: result.uploadDocuments.userErrors.length > 0 };
    };
    const results: Record<string, Array<{ ms: number; growthMb: number; refused: boolean }>> = { photo: [], bomb: [] };
    for (let round = 0; round < ROUNDS; round++) {
      results.photo!.push(await measure(photo, `photo-${round}.jpg`));
      results.bomb!.push(await measure(bomb, `bomb-${round}.png`));
    }
    console.log(`image bomb: ${ROUNDS} rounds, bomb ${(bomb.length / 1024).toFixed(0)} kB (30000 × 30000), photo ${(photo.length / 1024).toFixed(0)} kB (2000 × 1500)`);
    for (const [name, values] of Object.entries(results)) {
      console.log(
        `${name.padEnd(6)} answer median ${median(values.map((v) => v.ms)).toFixed(1)} ms, max ${Math.max(...values.map((v) => v.ms)).toFixed(1)} ms; memory growth median ${median(values.map((v) => v.growthMb)).toFixed(1)} MB, max ${Math.max(...values.map((v) => v.growthMb)).toFixed(1)} MB; refused ${values.filter((v) => v.refused).length}/${values.length}`,
      );
    }
    console.log(`ratio of median answer times (bomb / photo): ${(median(results.bomb!.map((v) => v.ms)) / median(results.photo!.map((v) => v.ms))).toFixed(2)}x`);
  } finally {
    await server.stop();
  }
});

// How long does reading take, and how much memory, for a 10 000-entry CAMT.053 and a 1 MB UBL
// invoice? Each is read beside a baseline 100 times smaller, interleaved round by round, through
// readContent (what the background job calls, no database). Reports medians, time per entry or per
// kilobyte (the ratio says whether reading grows linearly) and the heap growth while reading.
// Run: node --expose-gc --import tsx bench/reading.bench.ts
import { formatCents } from "../src/core/money.js";
import { readContent } from "../src/modules/reading/read-content.js";
import { DocumentFormat } from "../src/modules/files/file-format.js";
import { accountStatements, toCamt053 } from "../test/support/bank-fixtures.js";
import { invoiceModel, toUbl } from "../test/support/invoice-fixtures.js";

const gc = (globalThis as { gc?: () => void }).gc;

/** A CAMT.053 message of one statement with about `entries` entries. */
function camt(entries: number): Buffer {
  const statements = accountStatements({ seed: 1, days: 1, maxEntries: 0 });
  const filled = accountStatements({ seed: 2, days: Math.ceil(entries / 4), maxEntries: 8 })
    .flatMap((s) => s.entries)
    .slice(0, entries);
  const closing = filled.reduce((sum, e) => sum + BigInt(e.amount.replace(".", "")), BigInt(statements[0]!.openingBalance.replace(".", "")));
  statements[0] = { ...statements[0]!, entries: filled, closingBalance: formatCents(closing) };
  return Buffer.from(toCamt053(statements, "08"));
}

/** A UBL invoice of about `bytes` bytes (lines added until it is that large). */
function ubl(bytes: number): Buffer {
  let lines = 10;
  let xml = toUbl(invoiceModel({ seed: 3, lines }));
  while (xml.length < bytes) {
    lines = Math.ceil((lines * bytes) / xml.length) + 1;
    xml = toUbl(invoiceModel({ seed: 3, lines }));
  }
  return Buffer.from(xml);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function measure(format: DocumentFormat, bytes: Buffer): Promise<{ ms: number; heapMb: number }> {
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const start = performance.now();
  const outcome = await readContent(format, bytes, 64 * 1024 ** 2);
  const ms = performance.now() - start;
  const heapMb = (process.memoryUsage().heapUsed - before) / 1024 ** 2;
  if (outcome.kind === "FAILED" || outcome.kind === null) throw new Error(`not read: ${JSON.stringify(outcome).slice(0, 200)}`);
  return { ms, heapMb };
}

async function compare(name: string, format: DocumentFormat, baseline: Buffer, candidate: Buffer, unit: (b: Buffer) => number, unitName: string, rounds = 7) {
  const results = { baseline: [] as number[], candidate: [] as number[], heap: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    results.baseline.push((await measure(format, baseline)).ms);
    const big = await measure(format, candidate);
    results.candidate.push(big.ms);
    results.heap.push(big.heapMb);
  }
  const [b, c] = [median(results.baseline), median(results.candidate)];
  const perB = (b * 1000) / unit(baseline);
  const perC = (c * 1000) / unit(candidate);
  console.log(`${name}`);
  console.log(
    `  baseline  ${(baseline.length / 1024).toFixed(0)} KB, ${unit(baseline)} ${unitName}: ${b.toFixed(2)} ms (${perB.toFixed(1)} µs per ${unitName.replace(/ies$/, "y").replace(/s$/, "")})`,
  );
  console.log(
    `  candidate ${(candidate.length / 1024 ** 2).toFixed(1)} MB, ${unit(candidate)} ${unitName}: ${c.toFixed(1)} ms (${perC.toFixed(1)} µs per ${unitName.replace(/ies$/, "y").replace(/s$/, "")}, ${(perC / perB).toFixed(2)}x the baseline's), heap growth while reading ${median(results.heap).toFixed(0)} MB${gc ? "" : " (run with --expose-gc for a cleaner figure)"}`,
  );
}

await compare("CAMT.053.001.08", DocumentFormat.CAMT053, camt(100), camt(10_000), (b) => (b.toString().match(/<Ntry>/g) ?? []).length, "entries");
await compare("UBL invoice", DocumentFormat.UBL, ubl(10 * 1024), ubl(1024 ** 2), (b) => Math.round(b.length / 1024), "KB");

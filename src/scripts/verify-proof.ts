// npm run verify-proof -- FILE: checks a proof of a client's decision on a filing (Filing.approvalProof)
// offline, without the database or a server. Exit 0: the proof holds (what it shows is printed);
// 1: it does not (each problem is named); 64: wrong use; 66: the file cannot be read as JSON.
import fs from "node:fs/promises";
import { type ApprovalProof, verifyApprovalProof } from "../modules/filings/approval-proof.js";

const [file, ...extra] = process.argv.slice(2);
if (!file || extra.length) {
  process.stderr.write("Usage: npm run verify-proof -- <proof file (JSON)>\n");
  process.exit(64);
}

let proof: ApprovalProof;
try {
  proof = JSON.parse(await fs.readFile(file, "utf8")) as ApprovalProof;
} catch (error) {
  process.stderr.write(`${file} cannot be read as JSON: ${(error as Error).message}\n`);
  process.exit(66);
}

// A document missing parts of a proof is no proof either (rather than a stack trace).
const verdict = await verifyApprovalProof(proof).catch((error: unknown) => ({
  valid: false,
  problems: [`it is not a complete proof document (${(error as Error).message})`],
  summary: null,
}));
if (verdict.valid) {
  process.stdout.write(`The proof holds.\n${verdict.summary}\n`);
} else {
  process.stdout.write(`The proof does NOT hold:\n${verdict.problems.map((p) => `- ${p}`).join("\n")}\n`);
  process.exitCode = 1;
}

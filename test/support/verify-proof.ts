// Runs `npm run verify-proof` (its script, as the operator would) on a proof document's text.
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

export async function runVerifyProof(text: string): Promise<{ code: number; stdout: string }> {
  const file = path.join(os.tmpdir(), `portaldesk-proof-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  await fs.writeFile(file, text);
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "src/scripts/verify-proof.ts", file]);
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout };
  } finally {
    await fs.rm(file, { force: true });
  }
}

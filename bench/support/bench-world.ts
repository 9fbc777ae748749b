// A firm with one administration and its client, inserted directly, for benchmarks that need
// someone to sign in; optionally more staff and more client users of that administration.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { hashPassword } from "../../src/modules/auth/password.js";

export const BENCH_PASSWORD = "bench password 1";

export interface BenchWorld {
  firmId: string;
  administrationId: string;
  /** The first client user (member who may approve filings). */
  clientEmail: string;
  /** Every client user of the administration, the first one included. */
  clientEmails: string[];
  /** The firm's accountants (none unless asked for). */
  staffEmails: string[];
}

export async function benchWorld(url: string, options: { staff?: number; clients?: number } = {}): Promise<BenchWorld> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const firmId = randomUUID();
    const administrationId = randomUUID();
    const hash = await hashPassword(BENCH_PASSWORD);
    await db.query("INSERT INTO firms (id, name) VALUES ($1, 'Bench firm')", [firmId]);
    await db.query("INSERT INTO administrations (id, firm_id, name) VALUES ($1, $2, 'Bench BV')", [administrationId, firmId]);
    const addUser = async (email: string, role: "CLIENT" | "ACCOUNTANT") =>
      (
        await db.query<{ id: string }>("INSERT INTO users (firm_id, email, name, role, status, password_hash) VALUES ($1, $2, $2, $3, 'ACTIVE', $4) RETURNING id", [
          firmId,
          email,
          role,
          hash,
        ])
      ).rows[0]!.id;
    const clientEmails = Array.from({ length: Math.max(1, options.clients ?? 1) }, (_, i) => (i === 0 ? "client@bench.test" : `client${i}@bench.test`));
    for (const email of clientEmails) {
      const id = await addUser(email, "CLIENT");
      await db.query("INSERT INTO memberships (user_id, administration_id, can_approve_filings) VALUES ($1, $2, true)", [id, administrationId]);
    }
    const staffEmails = Array.from({ length: options.staff ?? 0 }, (_, i) => `accountant${i}@bench.test`);
    for (const email of staffEmails) await addUser(email, "ACCOUNTANT");
    return { firmId, administrationId, clientEmail: clientEmails[0]!, clientEmails, staffEmails };
  } finally {
    await db.end();
  }
}

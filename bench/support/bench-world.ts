// A firm with one accountant, one administration and one client, inserted directly, for benchmarks
// that need someone to sign in.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { hashPassword } from "../../src/modules/auth/password.js";

export const BENCH_PASSWORD = "bench password 1";

export async function benchWorld(url: string): Promise<{ administrationId: string; clientEmail: string }> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const firmId = randomUUID();
    const administrationId = randomUUID();
    const hash = await hashPassword(BENCH_PASSWORD);
    await db.query("INSERT INTO firms (id, name) VALUES ($1, 'Bench firm')", [firmId]);
    await db.query("INSERT INTO administrations (id, firm_id, name) VALUES ($1, $2, 'Bench BV')", [administrationId, firmId]);
    const client = await db.query<{ id: string }>(
      "INSERT INTO users (firm_id, email, name, role, status, password_hash) VALUES ($1, 'client@bench.test', 'Client', 'CLIENT', 'ACTIVE', $2) RETURNING id",
      [firmId, hash],
    );
    await db.query("INSERT INTO memberships (user_id, administration_id, can_approve_filings) VALUES ($1, $2, true)", [client.rows[0]!.id, administrationId]);
    return { administrationId, clientEmail: "client@bench.test" };
  } finally {
    await db.end();
  }
}

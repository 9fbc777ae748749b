import type { MigrationInterface, QueryRunner } from "typeorm";

/** A firm's logo: a PNG in the blob store (any PNG or SVG uploaded is redrawn as one), by its SHA-256. */
export class FirmLogo1765700000000 implements MigrationInterface {
  name = "FirmLogo1765700000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE firms ADD COLUMN logo_sha256 char(64) CHECK (logo_sha256 ~ '^[0-9a-f]{64}$');
      CREATE INDEX firms_logo_idx ON firms (logo_sha256) WHERE logo_sha256 IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("ALTER TABLE firms DROP COLUMN logo_sha256");
  }
}

import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Proof of a client's decision on a filing: how it was confirmed (a code from the approver's
 * authenticator app, when they have one), and the XBRL instance decided on with its SHA-256 (also
 * in the decision's audit event, so the audit chain vouches for it).
 */
export class ApprovalProof1765600000000 implements MigrationInterface {
  name = "ApprovalProof1765600000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE filings
        ADD COLUMN approval_confirmation varchar(20) CHECK (approval_confirmation IN ('TOTP', 'RECOVERY_CODE')),
        ADD COLUMN approval_xbrl text,
        ADD COLUMN approval_xbrl_sha256 char(64);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("ALTER TABLE filings DROP COLUMN approval_confirmation, DROP COLUMN approval_xbrl, DROP COLUMN approval_xbrl_sha256");
  }
}

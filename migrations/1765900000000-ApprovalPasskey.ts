import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A decision on a filing confirmed with a passkey keeps the assertion (signed by the approver's
 * device over a challenge derived from the filing's content), with the public key to check it.
 */
export class ApprovalPasskey1765900000000 implements MigrationInterface {
  name = "ApprovalPasskey1765900000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE filings DROP CONSTRAINT filings_approval_confirmation_check,
        ADD CONSTRAINT filings_approval_confirmation_check CHECK (approval_confirmation IN ('TOTP', 'RECOVERY_CODE', 'PASSKEY')),
        ADD COLUMN approval_assertion jsonb;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE filings SET approval_confirmation = NULL, approval_assertion = NULL WHERE approval_confirmation = 'PASSKEY';
      ALTER TABLE filings DROP COLUMN approval_assertion, DROP CONSTRAINT filings_approval_confirmation_check,
        ADD CONSTRAINT filings_approval_confirmation_check CHECK (approval_confirmation IN ('TOTP', 'RECOVERY_CODE'));
    `);
  }
}

import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A change of a person's email address, confirmed from the new address: a one-time link (only its
 * hash kept) mailed there; the old address is told once it is done.
 */
export class EmailChange1766000000000 implements MigrationInterface {
  name = "EmailChange1766000000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE email_changes (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        new_email varchar(320) NOT NULL,
        token_hash bytea NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      );
      CREATE INDEX email_changes_user_idx ON email_changes (user_id) WHERE used_at IS NULL;
      ALTER TABLE outgoing_mails DROP CONSTRAINT outgoing_mails_kind_check,
        ADD CONSTRAINT outgoing_mails_kind_check CHECK (kind IN ('NOTIFICATION', 'DIGEST', 'INVITATION', 'PASSWORD_RESET', 'EMAIL_CHANGE'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM outgoing_mails WHERE kind = 'EMAIL_CHANGE';
      ALTER TABLE outgoing_mails DROP CONSTRAINT outgoing_mails_kind_check,
        ADD CONSTRAINT outgoing_mails_kind_check CHECK (kind IN ('NOTIFICATION', 'DIGEST', 'INVITATION', 'PASSWORD_RESET'));
      DROP TABLE email_changes;
    `);
  }
}

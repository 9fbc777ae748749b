import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Accounts for real use:
 * - an invitation may come from the operator (a firm's first admin, `npm run firm:create`), so it
 *   has no inviting user;
 * - mails of a new kind, PASSWORD_RESET (their body, which holds the link, is dropped once sent);
 * - sessions remember where they were made (address, browser) and when last used, for the list a
 *   person reviews and ends sessions from;
 * - one-time password-reset links: only a hash of the token is kept, valid for an hour, used once.
 */
export class Accounts1765300000000 implements MigrationInterface {
  name = "Accounts1765300000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE invitations ALTER COLUMN invited_by_user_id DROP NOT NULL;
      ALTER TABLE sessions ADD COLUMN address varchar(100), ADD COLUMN user_agent varchar(300), ADD COLUMN last_used_at timestamptz;
      CREATE INDEX sessions_user_live_idx ON sessions (user_id) WHERE revoked_at IS NULL;
      CREATE TABLE password_resets (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash bytea NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      );
      CREATE INDEX password_resets_user_idx ON password_resets (user_id, created_at);
      ALTER TABLE outgoing_mails DROP CONSTRAINT outgoing_mails_kind_check,
        ADD CONSTRAINT outgoing_mails_kind_check CHECK (kind IN ('NOTIFICATION', 'DIGEST', 'INVITATION', 'PASSWORD_RESET'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    const operatorInvites = (await q.query("SELECT count(*)::int AS n FROM invitations WHERE invited_by_user_id IS NULL")) as Array<{ n: number }>;
    if (operatorInvites[0]!.n > 0) throw new Error("Cannot go back: invitations made by the operator have no inviting user");
    await q.query(`
      DELETE FROM outgoing_mails WHERE kind = 'PASSWORD_RESET';
      ALTER TABLE outgoing_mails DROP CONSTRAINT outgoing_mails_kind_check,
        ADD CONSTRAINT outgoing_mails_kind_check CHECK (kind IN ('NOTIFICATION', 'DIGEST', 'INVITATION'));
      DROP TABLE password_resets;
      DROP INDEX sessions_user_live_idx;
      ALTER TABLE sessions DROP COLUMN address, DROP COLUMN user_agent, DROP COLUMN last_used_at;
      ALTER TABLE invitations ALTER COLUMN invited_by_user_id SET NOT NULL;
    `);
  }
}
